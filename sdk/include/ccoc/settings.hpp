// C++ layer over ccoc/settings.h: declare a plugin's settings readably, export them, and read a
// shared object's declarations back into C++ values. Header-only, so a vendor's plugin that only
// declares needs no library.
//
// A plugin declares once, in one file, and exports the declarations beside ccoc_plugin_entry:
//
//     #include "ccoc/settings.hpp"
//     using namespace ccoc::settings;
//     CCOC_SETTINGS_DECLARATIONS(Declarations{
//         Declaration::panel("camera.wall", "Tiles of live camera video")
//             .choice("layout", {"1", "2x2", "3x3"}, "Arrangement of the tiles").byDefault("\"2x2\"")
//             .strings("cameras", "Camera id per tile in reading order").references(Reference::Camera)
//             .byDefault("[]"),
//     })
//
// The validator and typed access with defaults applied are in ccoc/settings_check.hpp.
//
// Thread: a Declaration or Declarations is a plain value: use one from one thread at a time.
// fromAbi is any-thread.
#pragma once

#include "ccoc/plugin.h"
#include "ccoc/settings.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ccoc::settings {

enum class Type : uint32_t {
    String = CCOC_SETTING_STRING,
    Integer = CCOC_SETTING_INTEGER,
    Number = CCOC_SETTING_NUMBER,
    Boolean = CCOC_SETTING_BOOLEAN,
    Choice = CCOC_SETTING_CHOICE,
    StringArray = CCOC_SETTING_STRING_ARRAY,
    IntegerArray = CCOC_SETTING_INTEGER_ARRAY,
    Table = CCOC_SETTING_TABLE,
    TableArray = CCOC_SETTING_TABLE_ARRAY,
    Duration = CCOC_SETTING_DURATION,
    Url = CCOC_SETTING_URL,
    EnvName = CCOC_SETTING_ENV_NAME,
    ListenAddress = CCOC_SETTING_LISTEN_ADDRESS,
    Scalar = CCOC_SETTING_SCALAR,
    IpAddress = CCOC_SETTING_IP_ADDRESS,
};

enum class Reference : uint32_t {
    None = CCOC_SETTING_REF_NONE,
    Camera = CCOC_SETTING_REF_CAMERA,
    Device = CCOC_SETTING_REF_DEVICE,
    Driver = CCOC_SETTING_REF_DRIVER,
    Screen = CCOC_SETTING_REF_SCREEN,
    Panel = CCOC_SETTING_REF_PANEL,
    Wall = CCOC_SETTING_REF_WALL,
};

enum class Subject : uint32_t {
    Panel = CCOC_SETTINGS_PANEL,
    Driver = CCOC_SETTINGS_DRIVER,
    Device = CCOC_SETTINGS_DEVICE,
    Service = CCOC_SETTINGS_SERVICE,
    Plugin = CCOC_SETTINGS_PLUGIN,
};

/// What a value of `type` is, in the words of messages and docs ("an integer", "a camera id").
/// Pure.
inline const char* typeName(Type type)
{
    switch (type) {
    case Type::String: return "a string";
    case Type::Integer: return "an integer";
    case Type::Number: return "a number";
    case Type::Boolean: return "true or false";
    case Type::Choice: return "one of the choices";
    case Type::StringArray: return "an array of strings";
    case Type::IntegerArray: return "an array of integers";
    case Type::Table: return "a table";
    case Type::TableArray: return "an array of tables";
    case Type::Duration: return "a duration (a number >= 0)";
    case Type::Url: return "a URL (SCHEME://HOST[:PORT][/PATH])";
    case Type::EnvName: return "an environment variable name ([A-Z_][A-Z0-9_]*)";
    case Type::ListenAddress: return "a listen address (HOST:PORT, [IPV6]:PORT or :PORT)";
    case Type::Scalar: return "a string, a number or true/false";
    case Type::IpAddress: return "a numeric IPv4 or IPv6 address (\"0.0.0.0\", \"127.0.0.1\", \"::\")";
    }
    return "a value";
}

/// The short name of a type for docs tables ("integer", "array of strings"). Pure.
inline const char* typeLabel(Type type)
{
    switch (type) {
    case Type::String: return "string";
    case Type::Integer: return "integer";
    case Type::Number: return "number";
    case Type::Boolean: return "boolean";
    case Type::Choice: return "choice";
    case Type::StringArray: return "array of strings";
    case Type::IntegerArray: return "array of integers";
    case Type::Table: return "table";
    case Type::TableArray: return "array of tables";
    case Type::Duration: return "duration";
    case Type::Url: return "URL";
    case Type::EnvName: return "env-var name";
    case Type::ListenAddress: return "listen address";
    case Type::Scalar: return "string, number or boolean";
    case Type::IpAddress: return "IP address";
    }
    return "value";
}

/// What a reference names, in words ("a [[camera]] id"). Pure.
inline const char* referenceName(Reference reference)
{
    switch (reference) {
    case Reference::None: return "";
    case Reference::Camera: return "a [[camera]] id";
    case Reference::Device: return "a [[device]] id";
    case Reference::Driver: return "a [[driver]] id";
    case Reference::Screen: return "a [[screen]] id";
    case Reference::Panel: return "a [[panel]] id";
    case Reference::Wall: return "a camera wall device (\"wall.\" + the id of a camera.wall [[panel]])";
    }
    return "";
}

/// One setting as C++ values.
struct Setting {
    std::string key;                        // dotted, "*" segments for tables and arrays of tables
    Type type = Type::String;
    bool required = false;
    bool secret = false;                    // never echo the value
    bool notEmpty = false;                  // "" is refused
    bool legacyString = false;              // a string (the old packed form) is accepted unchecked
    std::optional<double> min;
    std::optional<double> max;
    std::vector<std::string> choices;       // Choice: the values; Url: the schemes
    std::optional<std::string> defaultText; // TOML text of the default
    Reference reference = Reference::None;
    std::string help;                       // one line
};

/// The settings of one subject, built by chained calls. Each type function adds a setting; the
/// modifiers (byDefault, required, range, ...) change the setting added last and do nothing when
/// there is none yet.
class Declaration {
public:
    Declaration(Subject subject, std::string id, std::string help = {})
        : subject_(subject), id_(std::move(id)), help_(std::move(help))
    {
    }
    /// The settings of [[panel]]s of type `typeId`.
    static Declaration panel(std::string typeId, std::string help) { return {Subject::Panel, std::move(typeId), std::move(help)}; }
    /// The settings of a [[driver]] that runs this shared object; `name` is for the docs.
    static Declaration driver(std::string name, std::string help) { return {Subject::Driver, std::move(name), std::move(help)}; }
    /// The settings of a [[device]] whose driver runs this shared object.
    static Declaration device(std::string name, std::string help) { return {Subject::Device, std::move(name), std::move(help)}; }
    /// The settings of a [[service]] that runs this shared object.
    static Declaration service(std::string name, std::string help) { return {Subject::Service, std::move(name), std::move(help)}; }
    /// The settings of the [[plugin]] entry that loads this shared object.
    static Declaration plugin(std::string name, std::string help) { return {Subject::Plugin, std::move(name), std::move(help)}; }

    Declaration& add(Setting setting)
    {
        settings_.push_back(std::move(setting));
        return *this;
    }
    Declaration& string(std::string key, std::string help) { return add(make(std::move(key), Type::String, std::move(help))); }
    Declaration& integer(std::string key, std::string help) { return add(make(std::move(key), Type::Integer, std::move(help))); }
    Declaration& number(std::string key, std::string help) { return add(make(std::move(key), Type::Number, std::move(help))); }
    Declaration& boolean(std::string key, std::string help) { return add(make(std::move(key), Type::Boolean, std::move(help))); }
    Declaration& choice(std::string key, std::vector<std::string> choices, std::string help)
    {
        Setting setting = make(std::move(key), Type::Choice, std::move(help));
        setting.choices = std::move(choices);
        return add(std::move(setting));
    }
    Declaration& strings(std::string key, std::string help) { return add(make(std::move(key), Type::StringArray, std::move(help))); }
    Declaration& integers(std::string key, std::string help) { return add(make(std::move(key), Type::IntegerArray, std::move(help))); }
    /// A table; declare its keys as "KEY.NAME", or "KEY.*.NAME" for a table keyed by the integrator.
    Declaration& table(std::string key, std::string help) { return add(make(std::move(key), Type::Table, std::move(help))); }
    /// An array of tables; declare the keys of its elements as "KEY.*.NAME".
    Declaration& tables(std::string key, std::string help) { return add(make(std::move(key), Type::TableArray, std::move(help))); }
    /// A number >= 0 in the unit the key ends with ("_ms", "_s").
    Declaration& duration(std::string key, std::string help) { return add(make(std::move(key), Type::Duration, std::move(help))); }
    /// A URL; `schemes` empty: any scheme.
    Declaration& url(std::string key, std::vector<std::string> schemes, std::string help)
    {
        Setting setting = make(std::move(key), Type::Url, std::move(help));
        setting.choices = std::move(schemes);
        return add(std::move(setting));
    }
    Declaration& envName(std::string key, std::string help) { return add(make(std::move(key), Type::EnvName, std::move(help))); }
    Declaration& listenAddress(std::string key, std::string help) { return add(make(std::move(key), Type::ListenAddress, std::move(help))); }
    /// A string, an integer, a number or a boolean (a value compared with what a device sends).
    Declaration& scalar(std::string key, std::string help) { return add(make(std::move(key), Type::Scalar, std::move(help))); }
    /// A numeric IPv4 or IPv6 address without a port (what a socket binds to).
    Declaration& ipAddress(std::string key, std::string help) { return add(make(std::move(key), Type::IpAddress, std::move(help))); }

    /// The default as TOML text: "\"2x2\"", "3", "1.5", "false", "[]".
    Declaration& byDefault(std::string tomlText) { return modify([&](Setting& s) { s.defaultText = std::move(tomlText); }); }
    Declaration& required() { return modify([](Setting& s) { s.required = true; }); }
    Declaration& range(double min, double max) { return modify([&](Setting& s) { s.min = min; s.max = max; }); }
    Declaration& atLeast(double min) { return modify([&](Setting& s) { s.min = min; }); }
    Declaration& atMost(double max) { return modify([&](Setting& s) { s.max = max; }); }
    Declaration& references(Reference reference) { return modify([&](Setting& s) { s.reference = reference; }); }
    Declaration& secret() { return modify([](Setting& s) { s.secret = true; }); }
    Declaration& notEmpty() { return modify([](Setting& s) { s.notEmpty = true; }); }
    /// An array or table whose old packed string form the plugin still reads for one release (and
    /// warns about, showing the new form): such a string passes the check.
    Declaration& orLegacyString() { return modify([](Setting& s) { s.legacyString = true; }); }

    [[nodiscard]] Subject subject() const noexcept { return subject_; }
    [[nodiscard]] const std::string& id() const noexcept { return id_; }
    [[nodiscard]] const std::string& help() const noexcept { return help_; }
    [[nodiscard]] const std::vector<Setting>& settings() const noexcept { return settings_; }
    /// The setting declared with exactly this key ("tours.*.tile"), or nullptr.
    [[nodiscard]] const Setting* find(std::string_view key) const noexcept
    {
        for (const Setting& setting : settings_) {
            if (setting.key == key) {
                return &setting;
            }
        }
        return nullptr;
    }

private:
    static Setting make(std::string key, Type type, std::string help)
    {
        Setting setting;
        setting.key = std::move(key);
        setting.type = type;
        setting.help = std::move(help);
        return setting;
    }
    template <typename Change>
    Declaration& modify(Change change)
    {
        if (!settings_.empty()) {
            change(settings_.back());
        }
        return *this;
    }

    Subject subject_;
    std::string id_;
    std::string help_;
    std::vector<Setting> settings_;
};

/// Every declaration of one shared object, and their C form. The C form is rebuilt on every
/// change; its pointers stay valid while this object lives and is not changed (the object
/// CCOC_SETTINGS_DECLARATIONS makes is static and never changed).
class Declarations {
public:
    Declarations() { rebuild(); }
    Declarations(std::initializer_list<Declaration> declarations) : declarations_(declarations) { rebuild(); }
    explicit Declarations(std::vector<Declaration> declarations) : declarations_(std::move(declarations)) { rebuild(); }
    ~Declarations() = default;
    Declarations(const Declarations& other) : declarations_(other.declarations_) { rebuild(); }
    Declarations& operator=(const Declarations& other)
    {
        if (this != &other) {
            declarations_ = other.declarations_;
            rebuild();
        }
        return *this;
    }
    // Moving a std::string may move its characters (short strings live inside it): rebuild.
    Declarations(Declarations&& other) noexcept : declarations_(std::move(other.declarations_)) { rebuildNoexcept(); }
    Declarations& operator=(Declarations&& other) noexcept
    {
        declarations_ = std::move(other.declarations_);
        rebuildNoexcept();
        return *this;
    }

    Declarations& add(Declaration declaration)
    {
        declarations_.push_back(std::move(declaration));
        rebuild();
        return *this;
    }
    [[nodiscard]] const std::vector<Declaration>& all() const noexcept { return declarations_; }
    /// The declaration of `subject` (for panels: of the panel type `id`; for the other subjects `id`
    /// is ignored, a shared object declares each at most once), or nullptr.
    [[nodiscard]] const Declaration* find(Subject subject, std::string_view id = {}) const noexcept
    {
        for (const Declaration& declaration : declarations_) {
            if (declaration.subject() == subject && (subject != Subject::Panel || declaration.id() == id)) {
                return &declaration;
            }
        }
        return nullptr;
    }
    /// The C form, for the exported function. Never null.
    [[nodiscard]] const ccoc_settings_declarations_v1* abi() const noexcept { return &top_; }

private:
    void rebuildNoexcept() noexcept
    {
        try {
            rebuild();
        } catch (...) {
            top_ = {};  // out of memory while moving: declare nothing rather than dangle
            top_.struct_size = sizeof(top_);
            top_.abi_major = static_cast<uint16_t>(CCOC_SETTINGS_ABI_MAJOR);
            top_.abi_minor = static_cast<uint16_t>(CCOC_SETTINGS_ABI_MINOR);
            top_.declaration_size = sizeof(ccoc_settings_declaration_v1);
        }
    }
    void rebuild()
    {
        cDeclarations_.clear();
        cSettings_.assign(declarations_.size(), {});
        cChoices_.clear();
        size_t choiceLists = 0;
        for (const Declaration& declaration : declarations_) {
            choiceLists += declaration.settings().size();
        }
        cChoices_.reserve(choiceLists);  // pointers into it are taken below: no reallocation
        for (size_t d = 0; d < declarations_.size(); ++d) {
            const Declaration& declaration = declarations_[d];
            std::vector<ccoc_setting_v1>& out = cSettings_[d];
            for (const Setting& setting : declaration.settings()) {
                ccoc_setting_v1 c{};
                c.struct_size = sizeof(ccoc_setting_v1);
                c.key = setting.key.c_str();
                c.type = static_cast<uint32_t>(setting.type);
                c.flags = (setting.required ? CCOC_SETTING_REQUIRED : 0u) | (setting.min ? CCOC_SETTING_HAS_MIN : 0u) |
                          (setting.max ? CCOC_SETTING_HAS_MAX : 0u) | (setting.secret ? CCOC_SETTING_SECRET : 0u) |
                          (setting.notEmpty ? CCOC_SETTING_NOT_EMPTY : 0u) |
                          (setting.legacyString ? CCOC_SETTING_LEGACY_STRING : 0u);
                c.min = setting.min.value_or(0.0);
                c.max = setting.max.value_or(0.0);
                std::vector<const char*>& choices = cChoices_.emplace_back();
                for (const std::string& choice : setting.choices) {
                    choices.push_back(choice.c_str());
                }
                choices.push_back(nullptr);
                c.choices = setting.choices.empty() ? nullptr : choices.data();
                c.default_text = setting.defaultText ? setting.defaultText->c_str() : nullptr;
                c.reference = static_cast<uint32_t>(setting.reference);
                c.help = setting.help.c_str();
                out.push_back(c);
            }
            ccoc_settings_declaration_v1 c{};
            c.struct_size = sizeof(ccoc_settings_declaration_v1);
            c.subject = static_cast<uint32_t>(declaration.subject());
            c.id = declaration.id().c_str();
            c.help = declaration.help().c_str();
            c.setting_count = static_cast<uint32_t>(out.size());
            c.setting_size = sizeof(ccoc_setting_v1);
            c.settings = out.empty() ? nullptr : out.data();
            cDeclarations_.push_back(c);
        }
        top_ = {};
        top_.struct_size = sizeof(top_);
        top_.abi_major = static_cast<uint16_t>(CCOC_SETTINGS_ABI_MAJOR);
        top_.abi_minor = static_cast<uint16_t>(CCOC_SETTINGS_ABI_MINOR);
        top_.count = static_cast<uint32_t>(cDeclarations_.size());
        top_.declaration_size = sizeof(ccoc_settings_declaration_v1);
        top_.declarations = cDeclarations_.empty() ? nullptr : cDeclarations_.data();
    }

    std::vector<Declaration> declarations_;
    std::vector<std::vector<ccoc_setting_v1>> cSettings_;
    std::vector<std::vector<const char*>> cChoices_;
    std::vector<ccoc_settings_declaration_v1> cDeclarations_;
    ccoc_settings_declarations_v1 top_{};
};

namespace detail {
template <typename Struct, typename Field>
bool fits(const Struct* object, size_t structSize, const Field Struct::*field)
{
    const auto* base = reinterpret_cast<const char*>(object);
    const auto* at = reinterpret_cast<const char*>(&(object->*field));
    return static_cast<size_t>(at - base) + sizeof(Field) <= structSize;
}
inline std::string text(const char* value)
{
    return value != nullptr ? std::string(value) : std::string();
}
} // namespace detail

/// Reads a shared object's C declarations (or abi() of a Declarations) into C++ values, checking
/// the version, every struct_size and stride, and every pointer before use. A field the plugin's
/// older struct lacks reads as its default. Returns nullopt and sets *error (when not null) to the
/// reason in words when the declarations cannot be read. Never throws except std::bad_alloc.
/// Thread: any.
inline std::optional<Declarations> fromAbi(const ccoc_settings_declarations_v1* abi, std::string* error)
{
    const auto fail = [error](std::string why) -> std::optional<Declarations> {
        if (error != nullptr) {
            *error = std::move(why);
        }
        return std::nullopt;
    };
    constexpr uint32_t kMaxCount = 4096;  // a corrupt count must not make the reader walk memory
    if (abi == nullptr) {
        return fail("the declarations function returned NULL");
    }
    if (abi->struct_size < offsetof(ccoc_settings_declarations_v1, declarations) + sizeof(abi->declarations)) {
        return fail("ccoc_settings_declarations_v1 of " + std::to_string(abi->struct_size) + " bytes is too small");
    }
    if (abi->abi_major != CCOC_SETTINGS_ABI_MAJOR) {
        return fail("settings declarations of ABI " + std::to_string(abi->abi_major) + "." + std::to_string(abi->abi_minor) +
                    "; expected major " + std::to_string(CCOC_SETTINGS_ABI_MAJOR));
    }
    if (abi->count > kMaxCount || (abi->count > 0 && abi->declarations == nullptr)) {
        return fail("settings declarations count " + std::to_string(abi->count) + " with no array, or above " +
                    std::to_string(kMaxCount));
    }
    constexpr size_t kMinDeclaration = offsetof(ccoc_settings_declaration_v1, settings) + sizeof(void*);
    if (abi->count > 0 && (abi->declaration_size < kMinDeclaration ||
                           abi->declaration_size % alignof(ccoc_settings_declaration_v1) != 0)) {
        return fail("declaration_size " + std::to_string(abi->declaration_size) + " is too small or not a stride");
    }
    std::vector<Declaration> out;
    const auto* bytes = reinterpret_cast<const unsigned char*>(abi->declarations);
    for (uint32_t d = 0; d < abi->count; ++d) {
        const auto* c = reinterpret_cast<const ccoc_settings_declaration_v1*>(bytes + size_t{d} * abi->declaration_size);
        const size_t size = std::min<size_t>(c->struct_size, abi->declaration_size);
        if (size < kMinDeclaration) {
            return fail("declaration " + std::to_string(d) + " has struct_size " + std::to_string(c->struct_size));
        }
        if (c->subject < CCOC_SETTINGS_PANEL || c->subject > CCOC_SETTINGS_PLUGIN) {
            return fail("declaration " + std::to_string(d) + " has unknown subject " + std::to_string(c->subject));
        }
        if (c->subject == CCOC_SETTINGS_PANEL && (c->id == nullptr || *c->id == '\0')) {
            return fail("declaration " + std::to_string(d) + " is of a panel type without an id");
        }
        if (c->setting_count > kMaxCount || (c->setting_count > 0 && c->settings == nullptr)) {
            return fail("declaration " + std::to_string(d) + " has a bad setting count or no settings array");
        }
        constexpr size_t kMinSetting = offsetof(ccoc_setting_v1, help) + sizeof(void*);
        if (c->setting_count > 0 && (c->setting_size < kMinSetting || c->setting_size % alignof(ccoc_setting_v1) != 0)) {
            return fail("declaration " + std::to_string(d) + " has setting_size " + std::to_string(c->setting_size));
        }
        Declaration declaration(static_cast<Subject>(c->subject), detail::text(c->id), detail::text(c->help));
        const auto* settingBytes = reinterpret_cast<const unsigned char*>(c->settings);
        for (uint32_t i = 0; i < c->setting_count; ++i) {
            const auto* s = reinterpret_cast<const ccoc_setting_v1*>(settingBytes + size_t{i} * c->setting_size);
            if (std::min<size_t>(s->struct_size, c->setting_size) < kMinSetting) {
                return fail("setting " + std::to_string(i) + " of declaration " + std::to_string(d) + " is too small");
            }
            if (s->key == nullptr || *s->key == '\0') {
                return fail("setting " + std::to_string(i) + " of declaration " + std::to_string(d) + " has no key");
            }
            if (s->type < CCOC_SETTING_STRING || s->type > CCOC_SETTING_IP_ADDRESS) {
                return fail(std::string("setting '") + s->key + "' has unknown type " + std::to_string(s->type));
            }
            Setting setting;
            setting.key = s->key;
            setting.type = static_cast<Type>(s->type);
            setting.required = (s->flags & CCOC_SETTING_REQUIRED) != 0;
            setting.secret = (s->flags & CCOC_SETTING_SECRET) != 0;
            setting.notEmpty = (s->flags & CCOC_SETTING_NOT_EMPTY) != 0;
            setting.legacyString = (s->flags & CCOC_SETTING_LEGACY_STRING) != 0;
            if ((s->flags & CCOC_SETTING_HAS_MIN) != 0) {
                setting.min = s->min;
            }
            if ((s->flags & CCOC_SETTING_HAS_MAX) != 0) {
                setting.max = s->max;
            }
            for (size_t k = 0; s->choices != nullptr && s->choices[k] != nullptr && k < kMaxCount; ++k) {
                setting.choices.emplace_back(s->choices[k]);
            }
            if (s->default_text != nullptr) {
                setting.defaultText = s->default_text;
            }
            setting.reference = s->reference <= CCOC_SETTING_REF_WALL ? static_cast<Reference>(s->reference) : Reference::None;
            setting.help = detail::text(s->help);
            declaration.add(std::move(setting));
        }
        out.push_back(std::move(declaration));
    }
    return Declarations(std::move(out));
}

} // namespace ccoc::settings

/// Exports the shared object's declarations as ccoc_settings_declarations (settings.h). Use once,
/// at namespace scope, in one .cpp of the plugin: CCOC_SETTINGS_DECLARATIONS(Declarations{...}).
/// The Declarations is built on the first call, which C++ makes thread-safe.
#define CCOC_SETTINGS_DECLARATIONS(...)                                                          \
    extern "C" CCOC_EXPORT const ccoc_settings_declarations_v1* ccoc_settings_declarations(void) \
    {                                                                                            \
        static const ::ccoc::settings::Declarations ccocDeclarations = __VA_ARGS__;               \
        return ccocDeclarations.abi();                                                           \
    }
