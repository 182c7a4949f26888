import CloudSim
import DocumentModel
@testable import LabEngine
import LuaBridge
import Testing

/// A function's UpdateItem table read straight into its input must do exactly what the
/// same table made a document does: the same answer or the same error, word for word, and
/// the same item afterwards. Each case runs both ways on an account of its own.
struct TypedRequestTests {
    /// The outcome of one call: its response or error, and the table's items after it.
    struct Outcome: Equatable {
        let answer: String
        let items: [Document]
    }

    /// An account with table Trades (key `id`, a string) holding one item.
    static func account() throws -> CloudAccount {
        let account = CloudAccount()
        _ = try account.call(
            "dynamodb", "CreateTable",
            [
                "TableName": "Trades", "BillingMode": "PAY_PER_REQUEST",
                "KeySchema": [["AttributeName": "id", "KeyType": "HASH"]],
                "AttributeDefinitions": [["AttributeName": "id", "AttributeType": "S"]],
            ])
        _ = try account.call(
            "dynamodb", "PutItem", ["TableName": "Trades", "Item": ["id": ["S": "a"], "Version": ["N": "3"], "Tags": ["SS": ["x"]]]])
        return account
    }

    /// A role that may update Trades and nothing else.
    static let role = "arn:aws:iam::123456789012:role/Writer"

    static func run(_ request: SDKRequest, as identity: Identity = .admin) throws -> Outcome {
        let account = try account()
        _ = try account.call(
            "iam", "CreateRole",
            [
                "RoleName": "Writer",
                "AssumeRolePolicyDocument": #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
            ])
        _ = try account.call(
            "iam", "PutRolePolicy",
            [
                "RoleName": "Writer", "PolicyName": "write",
                "PolicyDocument": #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:UpdateItem","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/Trades"}]}"#,
            ])
        let answer: String
        do {
            let descriptor = try account.descriptor("dynamodb", "UpdateItem")
            answer = try Document(writing: account.respond(descriptor, request, as: identity, during: nil)).jsonText()
        } catch let error as AWSError {
            answer = "\(error.code): \(error.message)"
        }
        let items = try account.call("dynamodb", "Scan", ["TableName": "Trades"])["Items"]?.arrayValue ?? []
        return Outcome(answer: answer, items: items)
    }

    /// The table `source` builds, read both ways: the typed request (nil when the reader left
    /// it to the document way) and the document (nil when it cannot be one).
    static func read(_ source: String) throws -> (typed: TypedRequest?, document: Document?) {
        let lua = try LuaState()
        let function = try lua.load("return \"call\", \"dynamodb\", \"UpdateItem\", \(source)", chunkName: "=request")
        // A table the reader leaves is then made a document, which may throw.
        let typed = try? lua.call(function, writing: []) { (_, view) -> TypedRequest? in
            UpdateItemRequest(reading: view).map { TypedRequest(updateItem: $0) }
        }.last
        return (typed ?? nil, try? lua.call(function, [])[3])
    }

    static let valid = """
        { TableName = "Trades", Key = { id = { S = "a" } },
          UpdateExpression = "SET #v = :v, #h = :h, #f = :f, #n = :n",
          ConditionExpression = "attribute_not_exists(id) OR #v < :v",
          ExpressionAttributeNames = { ["#v"] = "Version", ["#h"] = "Hierarchy", ["#f"] = "Flag", ["#n"] = "Nothing" },
          ExpressionAttributeValues = { [":v"] = { N = "4" }, [":h"] = { S = "{\\"a\\":1}" }, [":f"] = { BOOL = true },
                                        [":n"] = { NULL = true } },
          ReturnValues = "ALL_NEW" }
        """

    /// Requests the reader takes, valid or not as the model and DynamoDB see them.
    static let taken: [String] = [
        valid,
        // The condition fails: 3 is not below 2.
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "SET #v = :v", ConditionExpression = "#v < :v", ExpressionAttributeNames = { ["#v"] = "Version" }, ExpressionAttributeValues = { [":v"] = { N = "2" } }, ReturnValuesOnConditionCheckFailure = "ALL_OLD" }"##,
        // A new item, by ARN, returning what changed.
        ##"{ TableName = "arn:aws:dynamodb:us-west-2:123456789012:table/Trades", Key = { id = { S = "b" } }, UpdateExpression = "ADD #c :one", ExpressionAttributeNames = { ["#c"] = "Count" }, ExpressionAttributeValues = { [":one"] = { N = "1" } }, ReturnValues = "UPDATED_NEW" }"##,
        // Values the model's enums refuse.
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "REMOVE Tags", ReturnValues = "EVERYTHING" }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "REMOVE Tags", ReturnValuesOnConditionCheckFailure = "ALL_NEW" }"##,
        // A table name too short, and one too long for the model.
        ##"{ TableName = "", Key = { id = { S = "a" } }, UpdateExpression = "REMOVE Tags" }"##,
        "{ TableName = string.rep(\"t\", 1025), Key = { id = { S = \"a\" } }, UpdateExpression = \"REMOVE Tags\" }",
        // Texts that are not ASCII: a table name (no such table) and a name and a value.
        ##"{ TableName = "Tràdes", Key = { id = { S = "a" } }, UpdateExpression = "REMOVE Tags" }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "SET #v = :v", ExpressionAttributeNames = { ["#v"] = "Vérsion" }, ExpressionAttributeValues = { [":v"] = { S = "ü" } } }"##,
        // No such table.
        ##"{ TableName = "Missing", Key = { id = { S = "a" } }, UpdateExpression = "REMOVE Tags" }"##,
        // A placeholder defined but not used, one used but not defined.
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "SET #v = :v", ExpressionAttributeNames = { ["#v"] = "V", ["#w"] = "W" }, ExpressionAttributeValues = { [":v"] = { N = "1" } } }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "SET #v = :v", ExpressionAttributeNames = { ["#v"] = "V" } }"##,
        // Names without any expression; a syntax error; a key that is not the table's.
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, ExpressionAttributeNames = { ["#v"] = "V" } }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "SET = 1" }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" }, other = { S = "b" } }, UpdateExpression = "REMOVE Tags" }"##,
        ##"{ TableName = "Trades", Key = { id = { N = "1" } }, UpdateExpression = "REMOVE Tags" }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "" } }, UpdateExpression = "REMOVE Tags" }"##,
        // Updating the key, and a type mismatch in ADD.
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "SET id = :v", ExpressionAttributeValues = { [":v"] = { S = "z" } } }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "ADD Tags :v", ExpressionAttributeValues = { [":v"] = { N = "1" } } }"##,
    ]

    /// Requests the reader leaves to the document way.
    static let left: [String] = [
        // Numbers not as DynamoDB writes them back: the document keeps their text.
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "SET V = :v", ExpressionAttributeValues = { [":v"] = { N = "4.50" } } }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "SET V = :v", ExpressionAttributeValues = { [":v"] = { N = "007" } } }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "REMOVE T\xffgs" }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "SET #v = :v", ExpressionAttributeNames = { ["#v"] = "V" }, ExpressionAttributeValues = { [":v"] = { N = "abc" } } }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "SET #v = :v", ExpressionAttributeNames = { ["#v"] = "V" }, ExpressionAttributeValues = { [":v"] = { N = 12 } } }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "REMOVE Tags", Foo = 1 }"##,
        ##"{ TableName = "Trades", UpdateExpression = "REMOVE Tags" }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a", N = "1" } }, UpdateExpression = "REMOVE Tags" }"##,
        ##"{ TableName = "Trades", Key = { id = { NULL = false } }, UpdateExpression = "REMOVE Tags" }"##,
        ##"{ TableName = "Trades", Key = { [""] = { S = "a" } }, UpdateExpression = "REMOVE Tags" }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "SET #v = :v", ExpressionAttributeNames = { ["#v"] = 5 }, ExpressionAttributeValues = { [":v"] = { N = "1" } } }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "SET V = :v", ExpressionAttributeValues = {} }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "SET V = :v", ExpressionAttributeValues = { [":v"] = { SS = { "x" } } } }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "\xff" } }, UpdateExpression = "REMOVE Tags" }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "REMOVE Tags", ReturnConsumedCapacity = "TOTAL" }"##,
        ##"{ TableName = "Trades", Key = { id = { S = "a" } }, UpdateExpression = "REMOVE Tags", [1] = "x" }"##,
        ##"{ TableName = 7, Key = { id = { S = "a" } }, UpdateExpression = "REMOVE Tags" }"##,
    ]

    @Test(arguments: taken)
    func takenRequestsDoWhatTheirDocumentsDo(source: String) throws {
        let (typed, converted) = try Self.read(source)
        let request = try #require(typed, "the reader should take \(source)")
        let document = try #require(converted)
        #expect(SDKRequest.typed(request).document == document)
        #expect(try Self.run(.typed(request)) == Self.run(.document(document)))
    }

    @Test(arguments: [taken[0], taken[2], taken[9]])
    func aRoleIsAuthorizedAsForItsDocument(source: String) throws {
        let (typed, converted) = try Self.read(source)
        let request = try #require(typed)
        let writer = Identity.role(arn: Self.role, session: "test")
        let outcome = try Self.run(.typed(request), as: writer)
        #expect(outcome == (try Self.run(.document(try #require(converted)), as: writer)))
        // Trades by name and by ARN is allowed; Missing is refused before it is looked for.
        #expect(outcome.answer.hasPrefix("AccessDeniedException") == source.contains("Missing"))
    }

    @Test(arguments: left)
    func requestsTheReaderLeavesGoTheDocumentWay(source: String) throws {
        let (typed, _) = try Self.read(source)
        #expect(typed == nil, "the reader should leave \(source) to the document way")
    }

    @Test func aValidRequestRunsAndAnswersAsItsDocument() throws {
        let (typed, _) = try Self.read(Self.valid)
        let outcome = try Self.run(.typed(try #require(typed)))
        #expect(outcome.answer.contains(##""Version":{"N":"4"}"##))
        #expect(outcome.items.first?["Flag"] == ["BOOL": true])
    }

    @Test func refusedTypedRequestsNameTheirProblemsAsDocumentsDo() throws {
        let (typed, _) = try Self.read(Self.taken[3])
        let outcome = try Self.run(.typed(try #require(typed)))
        #expect(
            outcome.answer
                == "ValidationException: 1 validation error detected: Value 'EVERYTHING' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW]"
        )
    }
}
