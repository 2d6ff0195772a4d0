#include "json_scan.hpp"

#include "ccoc/bus/codec.hpp"

#include <charconv>
#include <cstring>

namespace ccoc::bus::detail {
namespace {

// Recursive descent over one JSON text. Recursion depth is bounded by maxDepth, so a hostile
// "[[[[..." cannot exhaust the stack.
class Scanner {
public:
    Scanner(std::string_view text, size_t maxDepth) : m_text(text), m_maxDepth(maxDepth) {}

    std::string error;

    void skipSpace() noexcept {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            ++m_pos;
        }
    }
    [[nodiscard]] bool atEnd() const noexcept { return m_pos >= m_text.size(); }
    [[nodiscard]] size_t pos() const noexcept { return m_pos; }
    [[nodiscard]] char peek() const noexcept { return atEnd() ? '\0' : m_text[m_pos]; }

    bool fail(std::string what) {
        if (error.empty()) {
            error = what + " at byte " + std::to_string(m_pos);
        }
        return false;
    }

    bool expect(char c) {
        skipSpace();
        if (peek() != c) {
            return fail(std::string("expected '") + c + "'");
        }
        ++m_pos;
        return true;
    }

    // Parses one value at the current position; fills `value` (string decoded only when asked).
    bool value(size_t depth, JsonValue* out) {
        skipSpace();
        const size_t start = m_pos;
        if (atEnd()) {
            return fail("expected a value, found the end");
        }
        const char c = peek();
        bool ok = false;
        JsonValue::Type type = JsonValue::Type::Null;
        if (c == '{' || c == '[') {
            if (depth + 1 > m_maxDepth) {
                return fail("nesting deeper than " + std::to_string(m_maxDepth));
            }
            type = c == '{' ? JsonValue::Type::Object : JsonValue::Type::Array;
            ok = c == '{' ? object(depth + 1, nullptr) : array(depth + 1, nullptr);
        } else if (c == '"') {
            type = JsonValue::Type::String;
            ok = string(out != nullptr ? &out->string : nullptr);
        } else if (c == 't' || c == 'f' || c == 'n') {
            ok = literal(type, out);
        } else {
            ok = number(type, out);
        }
        if (ok && out != nullptr) {
            out->type = type;
            out->raw = m_text.substr(start, m_pos - start);
        }
        return ok;
    }

    // members == nullptr: validate only.
    bool object(size_t depth, JsonMembers* members) {
        ++m_pos; // '{'
        skipSpace();
        if (peek() == '}') {
            ++m_pos;
            return true;
        }
        for (;;) {
            skipSpace();
            if (peek() != '"') {
                return fail("expected a member name in quotes");
            }
            std::string key;
            if (!string(members != nullptr ? &key : nullptr) || !expect(':')) {
                return false;
            }
            JsonValue member;
            if (!value(depth, members != nullptr ? &member : nullptr)) {
                return false;
            }
            if (members != nullptr) {
                members->emplace_back(std::move(key), std::move(member));
            }
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            return expect('}');
        }
    }

    bool array(size_t depth, std::vector<std::string_view>* elements) {
        ++m_pos; // '['
        skipSpace();
        if (peek() == ']') {
            ++m_pos;
            return true;
        }
        for (;;) {
            JsonValue element;
            if (!value(depth, elements != nullptr ? &element : nullptr)) {
                return false;
            }
            if (elements != nullptr) {
                elements->push_back(element.raw);
            }
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            return expect(']');
        }
    }

private:
    static int hexDigit(char c) noexcept {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    bool hex4(uint32_t& code) {
        if (m_pos + 4 > m_text.size()) {
            return fail("truncated \\u escape");
        }
        code = 0;
        for (int i = 0; i < 4; ++i) {
            const int digit = hexDigit(m_text[m_pos++]);
            if (digit < 0) {
                return fail("bad hex digit in \\u escape");
            }
            code = code * 16 + static_cast<uint32_t>(digit);
        }
        return true;
    }

    static void appendUtf8(std::string& out, uint32_t code) {
        if (code < 0x80) {
            out += static_cast<char>(code);
        } else if (code < 0x800) {
            out += static_cast<char>(0xC0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            out += static_cast<char>(0xE0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (code >> 18));
            out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        }
    }

    bool escape(std::string* out) {
        if (atEnd()) {
            return fail("truncated escape");
        }
        const char c = m_text[m_pos++];
        char plain = '\0';
        switch (c) {
        case '"': plain = '"'; break;
        case '\\': plain = '\\'; break;
        case '/': plain = '/'; break;
        case 'b': plain = '\b'; break;
        case 'f': plain = '\f'; break;
        case 'n': plain = '\n'; break;
        case 'r': plain = '\r'; break;
        case 't': plain = '\t'; break;
        case 'u': {
            uint32_t code = 0;
            if (!hex4(code)) {
                return false;
            }
            if (code >= 0xD800 && code <= 0xDBFF) {
                uint32_t low = 0;
                if (m_pos + 2 > m_text.size() || m_text[m_pos] != '\\' || m_text[m_pos + 1] != 'u') {
                    return fail("lone high surrogate in \\u escape");
                }
                m_pos += 2;
                if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) {
                    return fail("bad low surrogate in \\u escape");
                }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            } else if (code >= 0xDC00 && code <= 0xDFFF) {
                return fail("lone low surrogate in \\u escape");
            }
            if (code == 0) {
                return fail("NUL character in a string");
            }
            if (out != nullptr) {
                appendUtf8(*out, code);
            }
            return true;
        }
        default:
            return fail("bad escape character");
        }
        if (out != nullptr) {
            *out += plain;
        }
        return true;
    }

    // True when some byte of `word` is '"', '\\' or below 0x20 (may also be true after such a
    // byte; the caller then looks byte by byte).
    static bool hasSpecialByte(uint64_t word) noexcept {
        constexpr uint64_t kOnes = 0x0101010101010101ull;
        constexpr uint64_t kHighs = 0x8080808080808080ull;
        auto hasZero = [](uint64_t x) { return ((x - kOnes) & ~x & kHighs) != 0; };
        return hasZero(word ^ (kOnes * '"')) || hasZero(word ^ (kOnes * '\\')) || ((word - kOnes * 0x20) & ~word & kHighs) != 0;
    }

    bool string(std::string* out) {
        ++m_pos; // opening quote
        for (;;) {
            const size_t runStart = m_pos;
            // Eight bytes at a time while none is a quote, a backslash or a control character.
            while (m_pos + 8 <= m_text.size()) {
                uint64_t word = 0;
                std::memcpy(&word, m_text.data() + m_pos, sizeof word);
                if (hasSpecialByte(word)) {
                    break;
                }
                m_pos += 8;
            }
            while (m_pos < m_text.size()) {
                const auto c = static_cast<unsigned char>(m_text[m_pos]);
                if (c == '"' || c == '\\' || c < 0x20) {
                    break;
                }
                ++m_pos;
            }
            if (out != nullptr) {
                out->append(m_text.substr(runStart, m_pos - runStart));
            }
            if (atEnd()) {
                return fail("unterminated string");
            }
            const auto c = static_cast<unsigned char>(m_text[m_pos]);
            if (c < 0x20) {
                return fail("control character in a string");
            }
            ++m_pos;
            if (c == '"') {
                return true;
            }
            if (!escape(out)) {
                return false;
            }
        }
    }

    bool literal(JsonValue::Type& type, JsonValue* out) {
        const std::string_view rest = m_text.substr(m_pos);
        if (rest.starts_with("true")) {
            type = JsonValue::Type::Bool;
            if (out != nullptr) {
                out->boolean = true;
            }
            m_pos += 4;
        } else if (rest.starts_with("false")) {
            type = JsonValue::Type::Bool;
            m_pos += 5;
        } else if (rest.starts_with("null")) {
            type = JsonValue::Type::Null;
            m_pos += 4;
        } else {
            return fail("expected true, false or null");
        }
        return true;
    }

    static bool isDigit(char c) noexcept { return c >= '0' && c <= '9'; }

    bool number(JsonValue::Type& type, JsonValue* out) {
        const size_t start = m_pos;
        bool integral = true;
        if (peek() == '-') {
            ++m_pos;
        }
        if (peek() == '0') {
            ++m_pos;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                ++m_pos;
            }
        } else {
            return fail("expected a value");
        }
        if (peek() == '.') {
            integral = false;
            ++m_pos;
            if (!isDigit(peek())) {
                return fail("expected a digit after '.'");
            }
            while (isDigit(peek())) {
                ++m_pos;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            ++m_pos;
            if (peek() == '+' || peek() == '-') {
                ++m_pos;
            }
            if (!isDigit(peek())) {
                return fail("expected a digit in the exponent");
            }
            while (isDigit(peek())) {
                ++m_pos;
            }
        }
        type = JsonValue::Type::Number;
        if (integral) {
            int64_t parsed = 0;
            const char* first = m_text.data() + start;
            const char* last = m_text.data() + m_pos;
            const auto result = std::from_chars(first, last, parsed);
            if (result.ec == std::errc() && result.ptr == last) {
                type = JsonValue::Type::Integer;
                if (out != nullptr) {
                    out->integer = parsed;
                }
            }
        }
        return true;
    }

    std::string_view m_text;
    size_t m_maxDepth;
    size_t m_pos = 0;
};

std::string finish(Scanner& scanner, bool ok) {
    if (!ok) {
        return scanner.error;
    }
    scanner.skipSpace();
    if (!scanner.atEnd()) {
        scanner.fail("unexpected text after the value");
        return scanner.error;
    }
    return {};
}

} // namespace

std::string scanJson(std::string_view json, size_t maxDepth) {
    if (!isValidUtf8(json)) {
        return "not valid UTF-8";
    }
    Scanner scanner(json, maxDepth);
    const bool ok = scanner.value(0, nullptr);
    return finish(scanner, ok);
}

std::string readObject(std::string_view json, size_t maxDepth, JsonMembers& out) {
    out.clear();
    if (!isValidUtf8(json)) {
        return "not valid UTF-8";
    }
    Scanner scanner(json, maxDepth);
    scanner.skipSpace();
    if (scanner.peek() != '{') {
        return "expected a JSON object";
    }
    const bool ok = scanner.object(1, &out);
    return finish(scanner, ok);
}

std::string readArray(std::string_view json, size_t maxDepth, std::vector<std::string_view>& out) {
    out.clear();
    if (!isValidUtf8(json)) {
        return "not valid UTF-8";
    }
    Scanner scanner(json, maxDepth);
    scanner.skipSpace();
    if (scanner.peek() != '[') {
        return "expected a JSON array";
    }
    const bool ok = scanner.array(1, &out);
    return finish(scanner, ok);
}

void appendQuoted(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        } else {
            out += ch;
        }
    }
    out += '"';
}

const JsonValue* findMember(const JsonMembers& members, std::string_view key) noexcept {
    for (const auto& [name, value] : members) {
        if (name == key) {
            return &value;
        }
    }
    return nullptr;
}

} // namespace ccoc::bus::detail
