import Foundation

/// Writing header fields: RFC 2047 encoded-words (UTF-8, base64) for text that
/// is not plain ASCII, and folding (RFC 5322 §2.2.3) so that lines stay within
/// 78 characters where a space allows. Values reaching here have been checked
/// for line breaks and control characters (`HeaderSafety`); the encoding is a
/// second guard, since an encoded-word cannot carry a raw CR or LF.
enum HeaderEncoding {
    static let preferredLineLength = 78
    /// Bytes of UTF-8 per encoded-word: 39 bytes are 52 base64 characters, so a
    /// word is 64 characters and fits after `Reply-To: ` on a 78-character line.
    static let bytesPerWord = 39

    /// `Name: value` with CRLF at the end, folded where the value has spaces.
    /// Unstructured text (Subject): as it is when it is plain ASCII words,
    /// otherwise as encoded-words.
    static func unstructured(_ name: String, _ value: String) -> String {
        if needsEncoding(value) {
            return fold(name, tokens: encodedWords(value))
        }
        return foldAtSpaces(name, value)
    }

    /// `Name: display name <address>`: a name of plain ASCII words as it is,
    /// any other as encoded-words (which also covers `.`, `"`, `,` and other
    /// characters that would need quoting).
    static func mailbox(_ name: String, _ mailbox: Mailbox) -> String {
        var tokens: [String] = []
        if !mailbox.name.isEmpty {
            let plain = mailbox.name.unicodeScalars.allSatisfy { atext.contains($0) || $0 == " " }
                && !mailbox.name.contains("=?") && !mailbox.name.contains("  ")
                && !mailbox.name.split(separator: " ").contains { $0.utf8.count > preferredLineLength - 12 }
            tokens = plain ? mailbox.name.split(separator: " ").map(String.init) : encodedWords(mailbox.name)
        }
        tokens.append("<\(mailbox.address)>")
        return fold(name, tokens: tokens)
    }

    /// Plain ASCII words can be written as they are; anything else, an
    /// `=?` that a reader would take for an encoded-word, or a word too long to
    /// fold is encoded.
    static func needsEncoding(_ value: String) -> Bool {
        if value.unicodeScalars.contains(where: { !(0x20...0x7E).contains($0.value) }) { return true }
        if value.contains("=?") { return true }
        return value.split(separator: " ").contains { $0.utf8.count > preferredLineLength - 12 }
    }

    /// `=?UTF-8?B?…?=` words of whole characters, at most `bytesPerWord` bytes
    /// of UTF-8 each. Spaces travel inside the words: the space between two
    /// encoded-words is not part of the text.
    static func encodedWords(_ text: String) -> [String] {
        var chunks: [[UInt8]] = []
        var chunk: [UInt8] = []
        func add(_ bytes: [UInt8]) {
            if chunk.count + bytes.count > bytesPerWord, !chunk.isEmpty {
                chunks.append(chunk)
                chunk = []
            }
            chunk += bytes
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if bytes.count <= bytesPerWord {
                add(bytes)
            } else {
                // A grapheme longer than a word (a long emoji sequence): split between its scalars.
                for scalar in character.unicodeScalars { add(Array(String(scalar).utf8)) }
            }
        }
        if !chunk.isEmpty { chunks.append(chunk) }
        return chunks.map { "=?UTF-8?B?" + Data($0).base64EncodedString() + "?=" }
    }

    /// Tokens separated by single spaces, a line break (CRLF + space) put
    /// before a token that would pass 78 characters.
    static func fold(_ name: String, tokens: [String]) -> String {
        var output = name + ":"
        var lineLength = output.utf8.count
        for token in tokens {
            let length = token.utf8.count
            if lineLength + 1 + length > preferredLineLength && lineLength > name.utf8.count + 1 {
                output += "\r\n"
                lineLength = 0
            }
            output += " " + token
            lineLength += 1 + length
        }
        return output + "\r\n"
    }

    /// Plain ASCII text folded before one of its own spaces, so that
    /// unfolding gives back exactly the text.
    static func foldAtSpaces(_ name: String, _ value: String) -> String {
        var output = name + ": "
        var lineLength = output.utf8.count
        var rest = Substring(value)
        while lineLength + rest.utf8.count > preferredLineLength {
            let limit = preferredLineLength - lineLength
            let spaces = rest.indices.filter { rest[$0] == " " && $0 != rest.startIndex }
            guard let cut = spaces.last(where: { rest.distance(from: rest.startIndex, to: $0) <= limit })
                    ?? spaces.first else { break }
            output += rest[..<cut] + "\r\n"
            rest = rest[cut...]
            lineLength = 0
        }
        return output + rest + "\r\n"
    }

    /// RFC 5322 atext: what a display-name word may hold without quoting.
    static let atext = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".unicodeScalars)
}
