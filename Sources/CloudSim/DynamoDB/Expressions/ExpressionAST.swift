/// A name in a document path: written out, or an `#alias` from ExpressionAttributeNames.
enum NameRef: Hashable {
    case literal(String)
    case alias(String)
}

/// One step of a document path: `a`, `.b`, `[2]`.
enum PathStep: Hashable {
    case name(NameRef)
    case index(Int)
}

/// A document path such as `a.b[2].c` (names still unresolved).
struct PathExpr: Hashable {
    var steps: [PathStep]
}

/// A value in an expression.
indirect enum Operand {
    case path(PathExpr)
    case value(String)  // ":placeholder"
    case size(PathExpr)
    case ifNotExists(PathExpr, Operand)
    case listAppend(Operand, Operand)
    case plus(Operand, Operand)
    case minus(Operand, Operand)
}

enum Comparator: String {
    case eq = "=", ne = "<>", lt = "<", le = "<=", gt = ">", ge = ">="
}

/// A condition (ConditionExpression, FilterExpression, KeyConditionExpression).
indirect enum ConditionExpr {
    case compare(Operand, Comparator, Operand)
    case between(Operand, Operand, Operand)
    case inList(Operand, [Operand])
    case attributeExists(PathExpr)
    case attributeNotExists(PathExpr)
    case attributeType(PathExpr, Operand)
    case beginsWith(Operand, Operand)
    case contains(Operand, Operand)
    case and(ConditionExpr, ConditionExpr)
    case or(ConditionExpr, ConditionExpr)
    case not(ConditionExpr)
}

/// The clauses of an UpdateExpression.
struct UpdateExpr {
    var set: [(PathExpr, Operand)] = []
    var remove: [PathExpr] = []
    var add: [(PathExpr, Operand)] = []
    var delete: [(PathExpr, Operand)] = []
}

/// What an expression names through placeholders, to check against the request's maps.
struct Placeholders {
    var names: Set<String> = []
    var values: Set<String> = []
}
