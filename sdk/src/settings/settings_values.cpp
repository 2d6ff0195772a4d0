// settings_values.cpp: typed access to a settings table with the declared defaults applied, so a
// plugin reads `values.integer("wall_tile")` instead of parsing its JSON by hand.
#include "ccoc/settings_check.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ccoc::settings {

struct Values::Node {
    nlohmann::json value;
};

namespace {

using Json = nlohmann::json;

// The value at a dotted key inside `root`, or nullptr.
const Json* lookup(const Json& root, std::string_view key)
{
    const Json* node = &root;
    size_t start = 0;
    while (node->is_object()) {
        const size_t dot = key.find('.', start);
        const std::string segment(key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        const auto it = node->find(segment);
        if (it == node->end()) {
            return nullptr;
        }
        node = &*it;
        if (dot == std::string_view::npos) {
            return node;
        }
        start = dot + 1;
    }
    return nullptr;
}

} // namespace

Values Values::read(const Declaration& declaration, std::string_view json)
{
    Values values;
    auto node = std::make_shared<Node>();
    node->value = Json::parse(json, nullptr, false);
    if (!node->value.is_object()) {
        node->value = Json::object();
    }
    values.node_ = std::move(node);
    values.declaration_ = std::make_shared<const Declaration>(declaration);
    return values;
}

namespace {

// The written value when `accept` takes it, else the declared default when it does, else null.
template <typename Accept>
Json pick(const Json* written, const Declaration* declaration, const std::string& declaredKey, Accept accept)
{
    if (written != nullptr && accept(*written)) {
        return *written;
    }
    const Setting* setting = declaration != nullptr ? declaration->find(declaredKey) : nullptr;
    if (setting != nullptr && setting->defaultText) {
        Json fallback = Json::parse(*setting->defaultText, nullptr, false);
        if (!fallback.is_discarded() && accept(fallback)) {
            return fallback;
        }
    }
    return nullptr;
}

} // namespace

bool Values::has(std::string_view key) const
{
    return node_ && lookup(node_->value, key) != nullptr;
}

std::string Values::text(std::string_view key) const
{
    const Json value = pick(node_ ? lookup(node_->value, key) : nullptr, declaration_.get(), prefix_ + std::string(key),
                            [](const Json& j) { return j.is_string(); });
    return value.is_string() ? value.get<std::string>() : std::string();
}

int64_t Values::integer(std::string_view key) const
{
    const Json value = pick(node_ ? lookup(node_->value, key) : nullptr, declaration_.get(), prefix_ + std::string(key),
                            [](const Json& j) { return j.is_number_integer(); });
    return value.is_number_integer() ? value.get<int64_t>() : 0;
}

double Values::number(std::string_view key) const
{
    const Json value = pick(node_ ? lookup(node_->value, key) : nullptr, declaration_.get(), prefix_ + std::string(key),
                            [](const Json& j) { return j.is_number(); });
    return value.is_number() ? value.get<double>() : 0.0;
}

bool Values::flag(std::string_view key) const
{
    const Json value = pick(node_ ? lookup(node_->value, key) : nullptr, declaration_.get(), prefix_ + std::string(key),
                            [](const Json& j) { return j.is_boolean(); });
    return value.is_boolean() && value.get<bool>();
}

std::vector<std::string> Values::strings(std::string_view key) const
{
    const auto allStrings = [](const Json& j) {
        return j.is_array() && std::all_of(j.begin(), j.end(), [](const Json& e) { return e.is_string(); });
    };
    const Json value = pick(node_ ? lookup(node_->value, key) : nullptr, declaration_.get(), prefix_ + std::string(key), allStrings);
    return value.is_array() ? value.get<std::vector<std::string>>() : std::vector<std::string>();
}

std::vector<int64_t> Values::integers(std::string_view key) const
{
    const auto allIntegers = [](const Json& j) {
        return j.is_array() && std::all_of(j.begin(), j.end(), [](const Json& e) { return e.is_number_integer(); });
    };
    const Json value = pick(node_ ? lookup(node_->value, key) : nullptr, declaration_.get(), prefix_ + std::string(key), allIntegers);
    return value.is_array() ? value.get<std::vector<int64_t>>() : std::vector<int64_t>();
}

std::vector<Values> Values::tables(std::string_view key) const
{
    std::vector<Values> out;
    const Json* container = node_ ? lookup(node_->value, key) : nullptr;
    if (container == nullptr || !(container->is_array() || container->is_object())) {
        return out;
    }
    for (const Json& element : *container) {
        if (!element.is_object()) {
            continue;  // check() reports it; typed access skips it
        }
        Values values;
        auto node = std::make_shared<Node>();
        node->value = element;
        values.node_ = std::move(node);
        values.declaration_ = declaration_;
        values.prefix_ = prefix_ + std::string(key) + ".*.";
        out.push_back(std::move(values));
    }
    return out;
}

std::vector<std::string> Values::keys(std::string_view key) const
{
    std::vector<std::string> out;
    const Json* table = node_ ? lookup(node_->value, key) : nullptr;
    if (table != nullptr && table->is_object()) {
        for (const auto& item : table->items()) {
            out.push_back(item.key());
        }
    }
    return out;
}

} // namespace ccoc::settings
