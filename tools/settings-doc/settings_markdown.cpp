// settings_markdown.cpp: one declaration as markdown.
#include "settings_markdown.hpp"

#include <sstream>

namespace ccoc::settings_doc {
namespace {

using settings::Reference;
using settings::Setting;
using settings::Subject;
using settings::Type;

// Table cells hold one line; a '|' would end the cell.
std::string cell(const std::string& text)
{
    std::string out;
    for (const char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string number(double value)
{
    std::ostringstream text;
    text << value;
    return text.str();
}

std::string subjectName(Subject subject)
{
    switch (subject) {
    case Subject::Panel: return "panel type";
    case Subject::Driver: return "[[driver]] settings";
    case Subject::Device: return "[[device]] settings";
    case Subject::Service: return "[[service]] settings";
    case Subject::Plugin: return "[[plugin]] settings";
    }
    return "settings";
}

std::string typeCell(const Setting& setting)
{
    std::string type = settings::typeLabel(setting.type);
    if (setting.reference != Reference::None) {
        const std::string what = settings::referenceName(setting.reference);
        type = setting.type == Type::StringArray ? "array of strings: each " + what : what;
    }
    if (setting.type == Type::Choice) {
        type += ": ";
        for (size_t i = 0; i < setting.choices.size(); ++i) {
            type += (i == 0 ? "`" : ", `") + setting.choices[i] + "`";
        }
    }
    if (setting.type == Type::Url && !setting.choices.empty()) {
        type += " (";
        for (size_t i = 0; i < setting.choices.size(); ++i) {
            type += (i == 0 ? "" : ", ") + setting.choices[i];
        }
        type += ")";
    }
    if (setting.min && setting.max) {
        type += ", " + number(*setting.min) + ".." + number(*setting.max);
    } else if (setting.min) {
        type += ", >= " + number(*setting.min);
    } else if (setting.max) {
        type += ", <= " + number(*setting.max);
    }
    if (setting.notEmpty) {
        type += ", not empty";
    }
    if (setting.secret) {
        type += ", secret";
    }
    if (setting.legacyString) {
        type += " (the old packed string still read, with a warning)";
    }
    return type;
}

} // namespace

std::string markdown(const settings::Declaration& declaration)
{
    std::ostringstream out;
    out << "### ";
    if (!declaration.id().empty()) {
        out << "`" << declaration.id() << "` ";
    }
    out << "(" << subjectName(declaration.subject()) << ")\n\n";
    if (!declaration.help().empty()) {
        out << declaration.help() << ".\n\n";
    }
    if (declaration.settings().empty()) {
        out << "No settings: a key written under it is an error.\n";
        return out.str();
    }
    out << "| setting | type | default | meaning |\n|---|---|---|---|\n";
    for (const Setting& setting : declaration.settings()) {
        const std::string fallback =
            setting.required ? "required" : setting.defaultText ? "`" + *setting.defaultText + "`" : "(none)";
        out << "| `" << cell(setting.key) << "` | " << cell(typeCell(setting)) << " | " << cell(fallback) << " | "
            << cell(setting.help) << " |\n";
    }
    return out.str();
}

} // namespace ccoc::settings_doc
