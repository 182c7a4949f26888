import DocumentModel

/// Everything the account knows about one operation: AWS's model (name, HTTP binding,
/// input, output and error shapes) plus what labengine adds (read or write, latency, the
/// IAM action and resource, how many items a batch touches). Built from the generated
/// registry; nothing about an operation is listed anywhere else. A class, since every call
/// passes it along.
package final class OperationDescriptor: Sendable {
    /// Whether a call changes the account (checks may only read).
    package enum Access: String, Sendable { case read, write }

    /// How the items of a batch are counted, for its latency.
    package enum ItemCount: Sendable, Equatable {
        case one
        /// The length of a list member (`TransactItems`, `Records`).
        case list(String)
        /// The summed lengths of a map's lists (`RequestItems`).
        case mapLists(String)
    }

    package let service: AWSService
    package let name: String
    /// boto3's name for it (`put_function_concurrency`).
    package let pythonName: String
    package let httpMethod: String
    package let requestURI: String
    package let responseCode: Int
    package let input: ShapeID?
    package let output: ShapeID?
    /// The query protocol's wrapper element of the output (`CreateRoleResult`).
    package let resultWrapper: String?
    package let errors: [ShapeID]
    package let access: Access
    package let latency: VirtualDuration
    package let perItem: VirtualDuration
    package let items: ItemCount
    package let resource: ResourceForm
    /// The IAM action a call needs (`dynamodb:PutItem`, `lambda:InvokeFunction`).
    package let action: String

    init(
        service: AWSService, name: String, pythonName: String, httpMethod: String, requestURI: String, responseCode: Int,
        input: ShapeID?, output: ShapeID?, resultWrapper: String?, errors: [ShapeID], access: Access, latency: VirtualDuration,
        perItem: VirtualDuration, items: ItemCount, resource: ResourceForm, action: String
    ) {
        self.service = service
        self.name = name
        self.pythonName = pythonName
        self.httpMethod = httpMethod
        self.requestURI = requestURI
        self.responseCode = responseCode
        self.input = input
        self.output = output
        self.resultWrapper = resultWrapper
        self.errors = errors
        self.access = access
        self.latency = latency
        self.perItem = perItem
        self.items = items
        self.resource = resource
        self.action = action
    }

    /// How many items `request` touches.
    package func itemCount(_ request: Document) -> Int {
        switch items {
        case .one: return 1
        case .list(let member): return Swift.max(1, request[member]?.arrayValue?.count ?? 1)
        case .mapLists(let member):
            let total = request[member]?.mapValue?.values.reduce(0) { $0 + ($1.arrayValue?.count ?? 0) } ?? 1
            return Swift.max(1, total)
        }
    }

    /// The virtual time a function's call takes: only a batch reads its request.
    package func duration(_ request: SDKRequest) -> VirtualDuration {
        items == .one ? latency : duration(request.document)
    }

    /// The virtual time one call with `request` takes.
    package func duration(_ request: Document) -> VirtualDuration {
        let count = items == .one ? 1 : itemCount(request)
        return count > 1 ? latency + perItem * (count - 1) : latency
    }
}
