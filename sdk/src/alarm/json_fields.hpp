// Internal: checked reads of optional/required members of a JSON object, for the alarm decoders.
// Each reader records the first problem in `error` ("'count' must be an integer, not a string")
// and leaves the target unchanged.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace ccoc::alarm::detail {

enum class Field { optional, required };

// "a string", "an integer", ... for messages.
std::string_view jsonTypeNoun(const nlohmann::json& value);

// Parses `json` as an object; sets `error` ("not valid JSON ..." / "must be an object") otherwise.
bool parseObject(std::string_view json, std::string_view what, nlohmann::json& out, std::string& error);

class FieldReader {
public:
    FieldReader(const nlohmann::json& object, std::string_view what) : object_(object), what_(what) {}

    void text(std::string_view key, std::string& target, Field need = Field::optional);
    void boolean(std::string_view key, bool& target, Field need = Field::optional);
    void integer(std::string_view key, int64_t& target, int64_t min, int64_t max, Field need = Field::optional);
    [[nodiscard]] const nlohmann::json* find(std::string_view key) const;

    [[nodiscard]] bool ok() const noexcept { return error_.empty(); }
    [[nodiscard]] const std::string& error() const noexcept { return error_; }
    void fail(std::string message);

private:
    const nlohmann::json* fetch(std::string_view key, Field need, std::string_view wanted);

    const nlohmann::json& object_;
    std::string what_;
    std::string error_;
};

} // namespace ccoc::alarm::detail
