import DocumentModel

extension RequestValidator {
    /// Whether `value` satisfies `shape` in every respect the error walk checks: the quick
    /// path of validation, with no path kept and no message built.
    func conforms(_ value: Document, _ shape: Shape, _ shapes: [Shape]) -> Bool {
        switch shape.kind {
        case .structure:
            // An empty Lua table is an empty map or list, whichever the shape wants.
            guard let map = value.mapValue else { return false }
            if shape.isUnion, map.values.filter({ !$0.isNull }).count != 1 { return false }
            var requiredSeen = 0
            for (name, item) in map {
                guard let index = shape.memberIndex(of: name) else { return false }
                if item.isNull { continue }
                if shape.isRequired[index] { requiredSeen += 1 }
                if !conforms(item, shapes[shape.members[index].shape], shapes) { return false }
            }
            return requiredSeen == shape.requiredMembers.count
        case .list:
            guard let list = value.arrayValue else { return false }
            guard shape.admits(Double(list.count)), let element = shape.element else { return false }
            let elementShape = shapes[element]
            return list.allSatisfy { conforms($0, elementShape, shapes) }
        case .map:
            guard let map = value.mapValue, shape.admits(Double(map.count)), let key = shape.key, let valueID = shape.value else { return false }
            let keyShape = shapes[key]
            let valueShape = shapes[valueID]
            for (k, item) in map {
                if keyShape.hasStringConstraints, !stringConforms(k, keyShape) { return false }
                if !conforms(item, valueShape, shapes) { return false }
            }
            return true
        case .string:
            switch value {
            case .string(let s): return !shape.hasStringConstraints || stringConforms(s, shape)
            case .bytes(let b): return !shape.hasStringConstraints || stringConforms(String(decoding: b, as: UTF8.self), shape)
            default: return false
            }
        case .blob:
            switch value {
            case .string(let s): return shape.admits(Double(s.utf8.count))
            case .bytes(let b): return shape.admits(Double(b.count))
            default: return false
            }
        case .integer, .long:
            guard let i = value.intValue else { return false }
            return shape.admits(Double(i))
        case .double, .float:
            guard let d = value.doubleValue else { return false }
            return shape.admits(d)
        case .boolean:
            return value.boolValue != nil
        case .timestamp:
            return value.doubleValue != nil || value.stringValue != nil
        }
    }

    func stringConforms(_ s: String, _ shape: Shape) -> Bool {
        if let count = shape.lengthToCheck(of: s), !shape.admits(Double(count)) { return false }
        if let values = shape.enumValues, !values.contains(s) { return false }
        if let pattern = shape.pattern, !matcher(shape, pattern).matches(s) { return false }
        return true
    }

}
