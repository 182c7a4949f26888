/// Recursive-descent parser for DynamoDB's condition, update and projection expressions.
struct ExpressionParser {
    private let tokens: [(Token, Int)]
    private let text: String
    private let kind: String
    private var position = 0
    private(set) var placeholders = Placeholders()

    /// - Parameter kind: how errors name the expression (`ConditionExpression`, `UpdateExpression`, …).
    init(_ text: String, kind: String) throws(AWSError) {
        self.text = text
        self.kind = kind
        tokens = try ExpressionLexer.tokens(text, kind: kind)
        if tokens.count == 1 {
            throw AWSError.validation("Invalid \(kind): The expression can not be empty;")
        }
    }

    private var current: Token { tokens[position].0 }

    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private func syntaxError() -> AWSError {
        let shown: String
        switch current {
        case .identifier(let s), .alias(let s), .placeholder(let s), .symbol(let s): shown = s
        case .number(let n): shown = String(n)
        case .end: shown = "<EOF>"
        }
        return ExpressionLexer.syntax(kind, text, token: shown)
    }

    private func isKeyword(_ word: String) -> Bool {
        if case .identifier(let s) = current { return s.uppercased() == word }
        return false
    }

    private mutating func expect(_ symbol: String) throws(AWSError) {
        guard current == .symbol(symbol) else { throw syntaxError() }
        advance()
    }

    private mutating func finish() throws(AWSError) {
        guard current == .end else { throw syntaxError() }
    }

    // MARK: Functions

    /// `name(a, b, …)`: the operands, which must be `count` (AWS counts them before it looks
    /// at what they are).
    private mutating func functionArguments(
        _ name: String, count: Int, _ operand: (inout ExpressionParser) throws(AWSError) -> Operand
    ) throws(AWSError) -> [Operand] {
        advance()
        try expect("(")
        var args: [Operand] = []
        if current != .symbol(")") {
            args.append(try operand(&self))
            while current == .symbol(",") {
                advance()
                args.append(try operand(&self))
            }
        }
        try expect(")")
        guard args.count == count else {
            throw AWSError.validation(
                "Invalid \(kind): Incorrect number of operands for operator or function; operator or function: \(name), number of operands: \(args.count)")
        }
        return args
    }

    /// The operand as a document path, where the function needs one.
    private func documentPath(_ operand: Operand, of name: String) throws(AWSError) -> PathExpr {
        guard case .path(let path) = operand else {
            throw AWSError.validation("Invalid \(kind): Operator or function requires a document path; operator or function: \(name)")
        }
        return path
    }

    // MARK: Conditions

    /// Parses a whole condition expression.
    mutating func parseCondition() throws(AWSError) -> ConditionExpr {
        let result = try orExpression()
        try finish()
        return result
    }

    private mutating func orExpression() throws(AWSError) -> ConditionExpr {
        var left = try andExpression()
        while isKeyword("OR") {
            advance()
            left = .or(left, try andExpression())
        }
        return left
    }

    private mutating func andExpression() throws(AWSError) -> ConditionExpr {
        var left = try notExpression()
        while isKeyword("AND") {
            advance()
            left = .and(left, try notExpression())
        }
        return left
    }

    private mutating func notExpression() throws(AWSError) -> ConditionExpr {
        if isKeyword("NOT") {
            advance()
            return .not(try notExpression())
        }
        return try primaryCondition()
    }

    private mutating func primaryCondition() throws(AWSError) -> ConditionExpr {
        if current == .symbol("(") {
            advance()
            let inner = try orExpression()
            try expect(")")
            return inner
        }
        if case .identifier(let name) = current, tokens[position + 1].0 == .symbol("(") {
            switch name {
            case "attribute_exists", "attribute_not_exists":
                let args = try functionArguments(name, count: 1) { parser throws(AWSError) in try parser.conditionOperand() }
                let path = try documentPath(args[0], of: name)
                return name == "attribute_exists" ? .attributeExists(path) : .attributeNotExists(path)
            case "attribute_type":
                let args = try functionArguments(name, count: 2) { parser throws(AWSError) in try parser.conditionOperand() }
                return .attributeType(try documentPath(args[0], of: name), args[1])
            case "begins_with", "contains":
                let args = try functionArguments(name, count: 2) { parser throws(AWSError) in try parser.conditionOperand() }
                return name == "contains" ? .contains(args[0], args[1]) : .beginsWith(args[0], args[1])
            case "size": break
            default:
                throw AWSError.validation("Invalid \(kind): Invalid function name; function: \(name)")
            }
        }
        let left = try conditionOperand()
        if case .symbol(let s) = current, let comparator = Comparator(rawValue: s) {
            advance()
            return .compare(left, comparator, try conditionOperand())
        }
        if isKeyword("BETWEEN") {
            advance()
            let low = try conditionOperand()
            guard isKeyword("AND") else { throw syntaxError() }
            advance()
            return .between(left, low, try conditionOperand())
        }
        if isKeyword("IN") {
            advance()
            try expect("(")
            var items = [try conditionOperand()]
            while current == .symbol(",") {
                advance()
                items.append(try conditionOperand())
            }
            try expect(")")
            if items.count > 100 {
                throw AWSError.validation("Invalid \(kind): The IN operator is provided with too many operands; number of operands: \(items.count)")
            }
            return .inList(left, items)
        }
        throw syntaxError()
    }

    private mutating func conditionOperand() throws(AWSError) -> Operand {
        switch current {
        case .placeholder(let p):
            advance()
            placeholders.values.insert(p)
            return .value(p)
        case .identifier("size") where tokens[position + 1].0 == .symbol("("):
            let args = try functionArguments("size", count: 1) { parser throws(AWSError) in try parser.conditionOperand() }
            return .size(try documentPath(args[0], of: "size"))
        case .identifier(let name) where tokens[position + 1].0 == .symbol("("):
            throw AWSError.validation("Invalid \(kind): The function is not allowed to be used this way in an expression; function: \(name)")
        default:
            return .path(try parsePath())
        }
    }

    // MARK: Paths

    mutating func parsePath() throws(AWSError) -> PathExpr {
        var steps = [PathStep.name(try pathName())]
        while true {
            if current == .symbol(".") {
                advance()
                steps.append(.name(try pathName()))
            } else if current == .symbol("[") {
                advance()
                guard case .number(let n) = current else { throw syntaxError() }
                advance()
                try expect("]")
                steps.append(.index(n))
            } else {
                return PathExpr(steps: steps)
            }
        }
    }

    private mutating func pathName() throws(AWSError) -> NameRef {
        switch current {
        case .alias(let a):
            advance()
            placeholders.names.insert(a)
            return .alias(a)
        case .identifier(let name):
            if ReservedWords.all.contains(name.uppercased()) {
                throw AWSError.validation("Invalid \(kind): Attribute name is a reserved keyword; reserved keyword: \(name)")
            }
            guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else {
                throw syntaxError()
            }
            advance()
            return .literal(name)
        default:
            throw syntaxError()
        }
    }

    // MARK: Updates

    /// Parses an UpdateExpression (SET, REMOVE, ADD, DELETE, each at most once).
    mutating func parseUpdate() throws(AWSError) -> UpdateExpr {
        var update = UpdateExpr()
        var seen = Set<String>()
        while current != .end {
            guard case .identifier(let word) = current else { throw syntaxError() }
            let clause = word.uppercased()
            guard ["SET", "REMOVE", "ADD", "DELETE"].contains(clause) else { throw syntaxError() }
            guard seen.insert(clause).inserted else {
                throw AWSError.validation("Invalid \(kind): The \"\(clause)\" section can only be used once in an update expression;")
            }
            advance()
            repeat {
                if current == .symbol(",") { advance() }
                switch clause {
                case "SET":
                    let path = try parsePath()
                    try expect("=")
                    update.set.append((path, try setValue()))
                case "REMOVE":
                    update.remove.append(try parsePath())
                default:
                    let path = try parsePath()
                    guard case .placeholder(let p) = current else { throw syntaxError() }
                    advance()
                    placeholders.values.insert(p)
                    if clause == "ADD" { update.add.append((path, .value(p))) } else { update.delete.append((path, .value(p))) }
                }
            } while current == .symbol(",")
        }
        return update
    }

    private mutating func setValue() throws(AWSError) -> Operand {
        let left = try setOperand()
        if current == .symbol("+") {
            advance()
            return .plus(left, try setOperand())
        }
        if current == .symbol("-") {
            advance()
            return .minus(left, try setOperand())
        }
        return left
    }

    private mutating func setOperand() throws(AWSError) -> Operand {
        if case .identifier(let name) = current, tokens[position + 1].0 == .symbol("(") {
            switch name {
            case "if_not_exists":
                let args = try functionArguments(name, count: 2) { parser throws(AWSError) in try parser.setValue() }
                return .ifNotExists(try documentPath(args[0], of: name), args[1])
            case "list_append":
                let args = try functionArguments(name, count: 2) { parser throws(AWSError) in try parser.setValue() }
                return .listAppend(args[0], args[1])
            default:
                throw AWSError.validation("Invalid \(kind): Invalid function name; function: \(name)")
            }
        }
        if case .placeholder(let p) = current {
            advance()
            placeholders.values.insert(p)
            return .value(p)
        }
        return .path(try parsePath())
    }

    // MARK: Projections

    /// Parses a ProjectionExpression: paths separated by commas.
    mutating func parseProjection() throws(AWSError) -> [PathExpr] {
        var paths = [try parsePath()]
        while current == .symbol(",") {
            advance()
            paths.append(try parsePath())
        }
        try finish()
        return paths
    }
}
