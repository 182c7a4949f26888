import DocumentModel

/// A function's resource-based policy: who else may invoke it
/// (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html).
extension Lambda {
    func addPermission(_ p: Params) throws -> Document {
        let function = try function(try p.string("FunctionName"))
        let sid = try p.string("StatementId")
        guard !function.permissions.contains(where: { $0.sid == sid }) else {
            throw AWSError(
                "ResourceConflictException",
                "The statement id (\(sid)) provided already exists. Please provide a new statement id, or remove the existing statement.")
        }
        let action = try p.string("Action")
        guard action.hasPrefix("lambda:") || action == "*" else {
            throw AWSError("InvalidParameterValueException", "The action \(action) is not a Lambda action (lambda:InvokeFunction).")
        }
        let principal = try p.string("Principal")
        let principalElement: Document
        if principal == "*" {
            principalElement = "*"
        } else if principal.hasSuffix(".amazonaws.com") {
            principalElement = ["Service": .string(principal)]
        } else if principal.count == 12, principal.allSatisfy(\.isNumber) {
            principalElement = ["AWS": .string("arn:aws:iam::\(principal):root")]
        } else if principal.hasPrefix("arn:aws:iam::") {
            principalElement = ["AWS": .string(principal)]
        } else {
            throw AWSError("InvalidParameterValueException", "The provided principal was invalid. Please check the principal and try again.")
        }
        var statement: [String: Document] = [
            "Sid": .string(sid), "Effect": "Allow", "Principal": principalElement, "Action": .string(action), "Resource": .string(function.arn),
        ]
        var condition: [String: Document] = [:]
        if let source = try p.optionalString("SourceArn") { condition["ArnLike"] = ["AWS:SourceArn": .string(source)] }
        if let account = try p.optionalString("SourceAccount") { condition["StringEquals"] = ["AWS:SourceAccount": .string(account)] }
        if !condition.isEmpty { statement["Condition"] = .map(condition) }
        // A function's policy may hold 20 KB
        // (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
        let size = (function.policyText?.utf8.count ?? 40) + Document.map(statement).jsonTextOrEmpty.utf8.count + 1
        guard size <= 20_480 else {
            throw AWSError("PolicyLengthExceededException", "The final policy size (\(size)) is bigger than the limit (20480).")
        }
        function.permissions.append((sid, .map(statement)))
        return ["Statement": .string(Document.map(statement).jsonTextOrEmpty)]
    }

    func removePermission(_ p: Params) throws -> Document {
        let function = try function(try p.string("FunctionName"))
        let sid = try p.string("StatementId")
        guard function.permissions.contains(where: { $0.sid == sid }) else {
            throw AWSError("ResourceNotFoundException", "Statement \(sid) is not found in resource policy.")
        }
        function.permissions.removeAll { $0.sid == sid }
        return [:]
    }

    func getPolicy(_ p: Params) throws -> Document {
        let function = try function(try p.string("FunctionName"))
        guard let text = function.policyText else {
            throw AWSError("ResourceNotFoundException", "The resource you requested does not exist.")
        }
        return ["Policy": .string(text), "RevisionId": .string("\(function.name)-\(function.permissions.count)")]
    }
}
