// settings_messages.hpp (private): how the validator words values and expectations, so every
// message says what was found and what was expected the same way.
#pragma once

#include "ccoc/settings.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ccoc::settings::detail {

/// A number as the docs write it: 1, 2.5, 65535.
std::string number(double value);
/// "a, b, c", at most `most` of them, then "... (N in all)"; "(none)" for none.
std::string joined(const std::vector<std::string>& items, size_t most = 16);
/// "1, an integer"; only the kind ("a string") when the value must not be echoed.
std::string describe(const nlohmann::json& value, bool hide);
/// What a value (or, with `element`, each element of an array) of `setting` must be, in words:
/// "a [[camera]] id (a string)", "an integer from 1 to 8".
std::string expectation(const Setting& setting, bool element);
/// What a reference names, as the site file calls it: "[[camera]]".
std::string entryName(Reference reference);

} // namespace ccoc::settings::detail
