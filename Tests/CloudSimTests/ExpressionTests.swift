import CloudSim
import DocumentModel
import Testing

/// Each case: a condition, the values it uses, and whether it holds for the fixture item.
@Suite struct ExpressionTests {
    let a: CloudAccount

    init() throws {
        a = try accountWithTable()
        _ = try a.ddb(
            "PutItem",
            ["TableName": "Tbl", "Item": [
                "id": ["S": "item"], "n": ["N": "10"], "s": ["S": "hello world"], "tags": ["SS": ["red", "blue"]],
                "nested": ["M": ["list": ["L": [["N": "1"], ["M": ["deep": ["S": "x"]]]]]]], "Value": ["N": "5"],
            ]])
    }

    func holds(_ condition: String, _ values: [String: Document] = [:], names: [String: Document] = [:]) throws -> Bool {
        var request: [String: Document] = [
            "TableName": "Tbl", "Key": ["id": ["S": "item"]], "ConditionExpression": .string(condition),
        ]
        if !values.isEmpty { request["ExpressionAttributeValues"] = .map(values) }
        if !names.isEmpty { request["ExpressionAttributeNames"] = .map(names) }
        do {
            _ = try a.ddb("UpdateItem", .map(request))
            return true
        } catch let e as AWSError where e.code == "ConditionalCheckFailedException" {
            return false
        }
    }

    @Test(arguments: [
        ("n = :ten", true), ("n <> :ten", false), ("n < :eleven", true), ("n <= :ten", true), ("n > :ten", false),
        ("n >= :ten", true), ("n BETWEEN :one AND :eleven", true), ("n IN (:one, :ten)", true),
        ("n IN (:one, :eleven)", false), ("NOT n = :ten", false), ("n = :ten AND s = :hello", true),
        ("n = :one OR s = :hello", true), ("(n = :one OR n = :eleven) AND s = :hello", false),
        ("absent <> :ten", true), ("absent = :ten", false), ("n < :hello", false),
    ])
    func comparisons(condition: String, expected: Bool) throws {
        let values: [String: Document] = [":one": ["N": "1"], ":ten": ["N": "10.0"], ":eleven": ["N": "11"], ":hello": ["S": "hello world"]]
        let used = values.filter { condition.contains($0.key) }
        #expect(try holds(condition, used) == expected, "\(condition)")
    }

    @Test func functions() throws {
        #expect(try holds("attribute_exists(n)"))
        #expect(try !holds("attribute_exists(nope)"))
        #expect(try holds("attribute_not_exists(nope)"))
        #expect(try holds("attribute_type(n, :t)", [":t": ["S": "N"]]))
        #expect(try holds("begins_with(s, :p)", [":p": ["S": "hello"]]))
        #expect(try holds("contains(s, :w)", [":w": ["S": "o w"]]))
        #expect(try holds("contains(tags, :c)", [":c": ["S": "red"]]))
        #expect(try !holds("contains(tags, :c)", [":c": ["S": "green"]]))
        #expect(try holds("size(s) = :len", [":len": ["N": "11"]]))
        #expect(try holds("size(tags) > :one", [":one": ["N": "1"]]))
        #expect(try holds("nested.#l[1].deep = :x", [":x": ["S": "x"]], names: ["#l": "list"]))
        #expect(try holds("#v = :five", [":five": ["N": "5"]], names: ["#v": "Value"]))
    }

    @Test func reservedWordsMustBeAliased() {
        expectAWSError("ValidationException", "reserved keyword; reserved keyword: Value") {
            _ = try holds("Value = :five", [":five": ["N": "5"]])
        }
    }

    @Test func placeholdersMustBeDefinedAndUsed() {
        expectAWSError("ValidationException", "unused in expressions: keys: {:extra}") {
            _ = try holds("n = :ten", [":ten": ["N": "10"], ":extra": ["N": "1"]])
        }
        expectAWSError("ValidationException", "attribute value: :ten") { _ = try holds("n = :ten") }
        expectAWSError("ValidationException", "attribute name: #x") { _ = try holds("#x = :ten", [":ten": ["N": "10"]]) }
        expectAWSError("ValidationException", "unused in expressions: keys: {#unused}") {
            _ = try holds("n = :ten", [":ten": ["N": "10"]], names: ["#unused": "n"])
        }
        // As many keys as placeholders, but one of them another: the unused key is named first.
        expectAWSError("ValidationException", "unused in expressions: keys: {:other}") {
            _ = try holds("n = :ten", [":other": ["N": "10"]])
        }
        expectAWSError("ValidationException", "unused in expressions: keys: {#other}") {
            _ = try holds("#n = :ten", [":ten": ["N": "10"]], names: ["#other": "n"])
        }
    }

    @Test func syntaxErrorsAreValidationErrors() {
        for bad in ["n = = :v", "n BETWEEN :v", "(n = :v", "n = :v AND", "unknown_fn(n)", ""] {
            expectAWSError("ValidationException") { _ = try holds(bad, bad.contains(":v") ? [":v": ["N": "1"]] : [:]) }
        }
    }

    func update(_ expression: String, _ values: [String: Document] = [:], names: [String: Document] = [:]) throws -> Document? {
        var request: [String: Document] = [
            "TableName": "Tbl", "Key": ["id": ["S": "item"]], "UpdateExpression": .string(expression), "ReturnValues": "ALL_NEW",
        ]
        if !values.isEmpty { request["ExpressionAttributeValues"] = .map(values) }
        if !names.isEmpty { request["ExpressionAttributeNames"] = .map(names) }
        return try a.ddb("UpdateItem", .map(request))["Attributes"]
    }

    @Test func setArithmeticAndFunctions() throws {
        #expect(try update("SET n = n - :two", [":two": ["N": "2"]])?["n"] == ["N": "8"])
        #expect(try update("SET fresh = if_not_exists(fresh, :zero) + :two", [":zero": ["N": "0"], ":two": ["N": "2"]])?["fresh"] == ["N": "2"])
        #expect(try update("SET fresh = if_not_exists(fresh, :zero) + :two", [":zero": ["N": "0"], ":two": ["N": "2"]])?["fresh"] == ["N": "4"])
        #expect(try update("SET nested.#l = list_append(nested.#l, :more)", [":more": ["L": [["S": "end"]]]], names: ["#l": "list"])?["nested"]?["M"]?["list"]?["L"]?.arrayValue?.count == 3)
        #expect(try update("SET nested.#l[0] = :v", [":v": ["S": "first"]], names: ["#l": "list"])?["nested"]?["M"]?["list"]?["L"]?.arrayValue?.first == ["S": "first"])
        #expect(try update("SET a = n, n = :one", [":one": ["N": "1"]])?["a"] == ["N": "8"])
    }

    @Test func removeAddDelete() throws {
        _ = try update("DELETE tags :red", [":red": ["SS": ["red"]]])
        let after = try update("REMOVE s, nested.#l[0] ADD n :five, tags :more", [":five": ["N": "5"], ":more": ["SS": ["green"]]], names: ["#l": "list"])
        #expect(after?["s"] == nil)
        #expect(after?["n"] == ["N": "15"])
        #expect(after?["tags"] == ["SS": ["blue", "green"]])
        #expect(after?["nested"]?["M"]?["list"]?["L"]?.arrayValue?.count == 1)
        let emptied = try update("DELETE tags :all", [":all": ["SS": ["blue", "green"]]])
        #expect(emptied?["tags"] == nil)
    }

    @Test func updateErrors() {
        expectAWSError("ValidationException", "overlap") { _ = try update("SET n = :one, n = :one", [":one": ["N": "1"]]) }
        expectAWSError("ValidationException", "overlap") { _ = try update("ADD tags :s DELETE tags :s", [":s": ["SS": ["x"]]]) }
        // A path and one inside it overlap, in either order; DynamoDB names both paths.
        expectAWSError("ValidationException", "path one: [nested], path two: [nested, list]") {
            _ = try update("SET nested = :m REMOVE nested.#l", [":m": ["M": [:]]], names: ["#l": "list"])
        }
        expectAWSError("ValidationException", "path one: [nested, list, [0]], path two: [nested, list]") {
            _ = try update("REMOVE nested.#l[0], nested.#l", names: ["#l": "list"])
        }
        expectAWSError("ValidationException", "does not exist") { _ = try update("SET x = absent + :one", [":one": ["N": "1"]]) }
        expectAWSError("ValidationException", "operand type") { _ = try update("ADD s :one", [":one": ["N": "1"]]) }
        expectAWSError("ValidationException", "only be used once") { _ = try update("SET n = :one SET s = :one", [":one": ["N": "1"]]) }
        expectAWSError("ValidationException", "invalid for update") { _ = try update("SET absent.child = :one", [":one": ["N": "1"]]) }
    }

    /// Two values DynamoDB refuses: the first by placeholder name is the one named, in every
    /// process. A dictionary's order is its process's: over twelve pairs of names, an order
    /// other than by name shows in all but one process in 4,096.
    @Test func ofTwoBadValuesTheFirstByNameIsReported() {
        for i in 0..<12 {
            let (a, b) = (":a\(i)", ":b\(i)")
            expectAWSError("ValidationException", "numeric value") {
                _ = try update("SET x = \(a), y = \(b)", [a: ["N": "not a number"], b: ["SS": []]])
            }
            expectAWSError("ValidationException", "may not be empty") {
                _ = try update("SET x = \(a), y = \(b)", [a: ["SS": []], b: ["N": "not a number"]])
            }
        }
    }

    /// Many placeholders (looked up through a dictionary past sixteen): each resolves to its own.
    @Test func manyPlaceholdersEachResolveToTheirOwn() throws {
        let count = 40
        let actions = (0..<count).map { "#n\($0) = :v\($0)" }.joined(separator: ", ")
        var values: [String: Document] = [:]
        var names: [String: Document] = [:]
        for i in 0..<count {
            values[":v\(i)"] = ["N": .string("\(i * 3)")]
            names["#n\(i)"] = .string("attr\(i)")
        }
        let after = try update("SET " + actions, values, names: names)
        for i in 0..<count { #expect(after?["attr\(i)"] == ["N": .string("\(i * 3)")]) }
        expectAWSError("ValidationException", "unused in expressions: keys: {:extra}") {
            var more = values
            more[":extra"] = ["N": "1"]
            _ = try update("SET " + actions, more, names: names)
        }
    }

    /// Siblings share a parent but not a path: `a.b` and `a.c`, `l[0]` and `l[1]` do not overlap.
    @Test func siblingPathsDoNotOverlap() throws {
        let after = try update(
            "SET nested.#l[0] = :x, nested.#l[1] = :y, nested.#o = :x", [":x": ["S": "x"], ":y": ["S": "y"]], names: ["#l": "list", "#o": "other"])
        #expect(after?["nested"]?["M"]?["other"] == ["S": "x"])
        #expect(after?["nested"]?["M"]?["list"]?["L"]?.arrayValue?.first == ["S": "x"])
    }

    @Test func projections() throws {
        let got = try a.ddb("GetItem", ["TableName": "Tbl", "Key": ["id": ["S": "item"]], "ProjectionExpression": "n, nested.#l[1].deep", "ExpressionAttributeNames": ["#l": "list"]])["Item"]
        #expect(got == ["n": ["N": "10"], "nested": ["M": ["list": ["L": [["M": ["deep": ["S": "x"]]]]]]]])
    }
}

