import Foundation

/// Where live views draw: on a terminal, the screen is cleared and redrawn in place; with
/// `NO_COLOR` set or no terminal (a log, CI), each drawing is printed as plain lines.
struct TerminalScreen {
    let redraws: Bool

    init() {
        redraws = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }

    func draw(_ lines: [String]) {
        let text = (redraws ? "\u{1B}[H\u{1B}[2J" : "") + lines.joined(separator: "\n") + "\n"
        // Through print, so it stays in order with the command's other output.
        print(text, terminator: "")
        fflush(nil)
    }
}
