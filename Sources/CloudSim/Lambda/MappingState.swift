import DocumentModel

/// Where an event source mapping is in its life, as its `State` shows it
/// (https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingConfiguration.html).
/// A change is not instant: the mapping is `Creating`, `Updating`, `Enabling` or `Disabling`
/// for a moment, and AWS refuses to change it again meanwhile.
public enum MappingState: String, Sendable {
    case creating = "Creating"
    case enabling = "Enabling"
    case enabled = "Enabled"
    case disabling = "Disabling"
    case disabled = "Disabled"
    case updating = "Updating"
    case deleting = "Deleting"

    /// How long a creation or an update takes to settle. AWS documents no figure ("might not
    /// be completely deleted for several seconds" is the only one, for deletion); one virtual
    /// second is labengine's choice.
    static let settleTime = VirtualDuration.seconds(1)

    /// The state a change settles in.
    static func settled(enabled: Bool) -> MappingState { enabled ? .enabled : .disabled }

    /// The state while an update applies: switching the mapping on or off shows as
    /// `Enabling` or `Disabling`, any other change as `Updating`.
    static func changing(from wasEnabled: Bool, to enabled: Bool) -> MappingState {
        if enabled == wasEnabled { return .updating }
        return enabled ? .enabling : .disabling
    }

    /// Whether an update is still being applied.
    var isUpdating: Bool { self == .updating || self == .enabling || self == .disabling }

    /// Refuses an update until the last change has settled: "you tried to update an event
    /// source mapping in the CREATING state"
    /// (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateEventSourceMapping.html#API_UpdateEventSourceMapping_Errors).
    func checkUpdate() throws(AWSError) {
        guard self == .enabled || self == .disabled else {
            throw AWSError("ResourceInUseException", "Cannot update the event source mapping because it is in use. Its state is \(rawValue); retry when it is Enabled or Disabled.")
        }
    }

    /// Refuses a deletion while an update applies: "you tried to delete an event source
    /// mapping currently UPDATING"
    /// (https://docs.aws.amazon.com/lambda/latest/api/API_DeleteEventSourceMapping.html#API_DeleteEventSourceMapping_Errors).
    func checkDelete() throws(AWSError) {
        if isUpdating {
            throw AWSError("ResourceInUseException", "Cannot delete the event source mapping because it is in use. Its state is \(rawValue); retry when it is Enabled or Disabled.")
        }
    }
}

/// What settling a change needs of a mapping (stream or queue).
protocol SettlingMapping: AnyObject {
    var state: MappingState { get set }
    var enabled: Bool { get }
    var deleted: Bool { get }
}

extension EventSourceMapping: SettlingMapping {}
extension QueueMapping: SettlingMapping {}

extension Lambda {
    /// Shows an update of `mapping` (which was enabled or not before it) being applied, until
    /// it settles ``MappingState/settleTime`` later.
    func settle(_ mapping: some SettlingMapping, updatedFrom wasEnabled: Bool) {
        mapping.state = .changing(from: wasEnabled, to: mapping.enabled)
        scheduler.schedule(after: MappingState.settleTime) { [weak mapping] in
            guard let mapping, !mapping.deleted else { return }
            mapping.state = .settled(enabled: mapping.enabled)
        }
    }
}
