import DocumentModel

/// A function's SDK request on its way to the account.
public enum SDKRequest {
    /// The request table made a document.
    case document(Document)
    /// A hot operation's input read straight from the request table, no document built.
    case typed(TypedRequest)

    /// The whole request as a document, for what reads members by name (a batch's item
    /// count, an injected error's record, a request the model refuses).
    package var document: Document {
        switch self {
        case .document(let document): return document
        case .typed(let typed): return typed.document
        }
    }
}

/// An input read from a function's request table (by LabEngine) for the operations that
/// are called per message: so far DynamoDB's UpdateItem (``UpdateItemRequest``). The account checks it against the
/// model before it runs, and sends it the document way when the model refuses it, so its
/// errors are the document's, word for word.
public struct TypedRequest {
    enum Input {
        case updateItem(UpdateItemRequest)
    }

    let input: Input

    /// An UpdateItem request read from a function's table.
    package init(updateItem request: UpdateItemRequest) {
        input = .updateItem(request)
    }

    /// The request as a document.
    var document: Document {
        switch input {
        case .updateItem(let request): return request.document
        }
    }

    /// The request's TableName (IAM's resource for the item operations).
    var tableName: String {
        switch input {
        case .updateItem(let request): return request.tableName
        }
    }
}
