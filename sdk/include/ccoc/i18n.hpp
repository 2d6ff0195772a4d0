// The interface language for plugins and the host (header-only): translated text through GNU
// gettext, one text domain per plugin, and the language the host chose.
//
// A plugin defines CCOC_TEXT_DOMAIN (ccoc_add_plugin does it when the plugin has a po/ folder)
// and writes its words in English:
//
//     ImGui::TextUnformatted(ccoc::tr("Open alarms"));
//     ImGui::Text(ccoc::trn("%d camera", "%d cameras", n), n);      // plural forms
//     ImGui::TextUnformatted(ccoc::trc("alarm state", "new"));       // one English word, two meanings
//
// xgettext finds these calls (keywords tr, trn:1,2, trc:1c,2 and CCOC_PANEL:3); msgfmt compiles
// po/LANG.po into LOCALE_DIR/LANG/LC_MESSAGES/DOMAIN.mo at build time. The C++ plugin layer binds
// the domain at init (bindPluginDomain) with the folder the host hands over ("ccoc.i18n/1").
// Dates, numbers and durations are formatted by ccoc/i18n_format.hpp.
//
// The language is the process's: the host sets it with applyProcessLanguage, on the main thread,
// at start and whenever it changes. Plugins never compare language codes: what differs between
// languages is in the catalogues or in the helpers here.
#pragma once

#include <libintl.h>

#include <clocale>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "ccoc/i18n.h"

namespace ccoc::i18n {

/// The text domain of the SDK's own words (units of durations); the host binds it.
inline constexpr const char* kSdkTextDomain = "ccoc-sdk";

/// The language of the site files' own names (`name`, `title`); `name_en` gives the English one.
inline constexpr std::string_view kSiteLanguage = "th";

/// [main-thread] Makes `language` ("th", "en") the language of every text domain of the process,
/// at once: the next lookup of any domain uses it. For the host, at start and when the operator's
/// language changes; plugins never call it. Returns false, with the language unchanged, when the
/// C library offers no locale under which gettext honours a language (then text stays English).
inline bool applyProcessLanguage(const std::string& language) noexcept
{
    // glibc's gettext ignores LANGUAGE while LC_MESSAGES is the "C" locale. C.UTF-8 is built into
    // Debian's C library (no generated locales needed) and is not "C", so LANGUAGE is honoured;
    // a real locale the process already runs under is kept (LANGUAGE still comes first).
    const char* current = std::setlocale(LC_MESSAGES, nullptr);
    const std::string_view name = current != nullptr ? current : "C";
    if (name == "C" || name == "POSIX") {
        if (std::setlocale(LC_MESSAGES, "C.UTF-8") == nullptr && std::setlocale(LC_MESSAGES, "C.utf8") == nullptr) {
            return false;
        }
    }
    if (setenv("LANGUAGE", language.c_str(), 1) != 0) {
        return false;
    }
    // Setting a domain (even the same one) makes glibc drop the translations it has looked up.
    const char* domain = textdomain(nullptr);
    textdomain(domain != nullptr ? domain : "messages");
    return true;
}

/// [any-thread, before the domain is used] Binds `domain` to the catalogues below `localeDir`
/// (LOCALE_DIR/LANG/LC_MESSAGES/DOMAIN.mo), always read as UTF-8. An empty folder keeps the
/// system's default (/usr/share/locale).
inline void bindTextDomain(const char* domain, const std::string& localeDir) noexcept
{
    if (domain == nullptr || *domain == '\0') {
        return;
    }
    if (!localeDir.empty()) {
        bindtextdomain(domain, localeDir.c_str());
    }
    bind_textdomain_codeset(domain, "UTF-8");
}

/// [any-thread] The host's "ccoc.i18n/1", or nullptr (an older host).
inline const ccoc_i18n_service_v1* service(const ccoc_host* host) noexcept
{
    if (host == nullptr || host->get_service == nullptr) {
        return nullptr;
    }
    return static_cast<const ccoc_i18n_service_v1*>(host->get_service(host, CCOC_SERVICE_I18N));
}

/// [main-thread] The interface language now ("th", "en"): from "ccoc.i18n/1", else from an older
/// host's "ccoc.host-info/1", else "en". Ask again at each draw: the host may switch it.
inline std::string languageOf(const ccoc_host* host)
{
    if (const auto* i18n = service(host); i18n != nullptr && i18n->language != nullptr) {
        const char* code = i18n->language(host);
        return code != nullptr ? code : "en";
    }
    const auto* info = host != nullptr && host->get_service != nullptr
                           ? static_cast<const ccoc_host_info_service_v1*>(host->get_service(host, CCOC_SERVICE_HOST_INFO))
                           : nullptr;
    const char* code = info != nullptr && info->language != nullptr ? info->language(host) : nullptr;
    return code != nullptr ? code : "en";
}

/// [main-thread] At plugin init: binds `domain` to the folder the host found and tells the host the
/// domain, so that it translates the plugin's panel titles. Harmless with an older host.
inline void bindPluginDomain(const ccoc_host* host, const char* domain) noexcept
{
    const auto* i18n = service(host);
    const char* dir = i18n != nullptr && i18n->locale_dir != nullptr ? i18n->locale_dir(host) : nullptr;
    bindTextDomain(domain, dir != nullptr ? dir : "");
    if (CCOC_STRUCT_HAS_FIELD(i18n, ccoc_i18n_service_v1, set_text_domain) && i18n->set_text_domain != nullptr) {
        i18n->set_text_domain(host, domain);
    }
}

/// [any-thread] pgettext: `msgid` in `context` from `domain`, or `msgid` itself when untranslated.
inline const char* translateInContext(const char* domain, const char* context, const char* msgid)
{
    // gettext keeps a context as "CONTEXT\004MSGID" in the catalogue.
    std::string key;
    key.reserve(std::strlen(context) + std::strlen(msgid) + 1);
    key.append(context).push_back('\004');
    key.append(msgid);
    const char* found = dgettext(domain, key.c_str());
    return found == key.c_str() ? msgid : found;
}

/// printf into a std::string (translated format strings keep printf's argument order, or use
/// "%1$s"-style positions).
[[gnu::format(printf, 1, 2)]] inline std::string format(const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    va_list again;
    va_copy(again, args);
    const int size = std::vsnprintf(nullptr, 0, fmt, args);
    va_end(args);
    std::string text(size > 0 ? static_cast<size_t>(size) : 0, '\0');
    if (size > 0) {
        std::vsnprintf(text.data(), text.size() + 1, fmt, again);
    }
    va_end(again);
    return text;
}

/// A name the site file gives in its own language and, optionally, in English (`name`, `name_en`):
/// the one the interface language reads best, the other when that one is empty.
inline const std::string& siteText(std::string_view language, const std::string& local, const std::string& english) noexcept
{
    const bool wantLocal = language == kSiteLanguage;
    const std::string& preferred = wantLocal ? local : english;
    return preferred.empty() ? (wantLocal ? english : local) : preferred;
}

/// The title of a panel type in `language`: through its plugin's text domain when it named one,
/// else the ABI's title_th in the site's language (plugins built before catalogues), else English.
inline const char* panelTitle(std::string_view language, const char* domain, const char* title, const char* titleTh) noexcept
{
    if (title == nullptr) {
        return nullptr;
    }
    if (domain != nullptr && *domain != '\0') {
        return dgettext(domain, title);
    }
    return language == kSiteLanguage && titleTh != nullptr ? titleTh : title;
}

}  // namespace ccoc::i18n

#ifdef CCOC_TEXT_DOMAIN
namespace ccoc {
// Internal linkage: each plugin (and the host) compiles these with its own CCOC_TEXT_DOMAIN.
namespace {

/// [any-thread] `msgid` (English) in the interface language, from this plugin's catalogue; the
/// string is static (never free it). format_arg keeps printf's checks on translated formats.
[[gnu::format_arg(1)]] inline const char* tr(const char* msgid) noexcept
{
    return dgettext(CCOC_TEXT_DOMAIN, msgid);
}

/// [any-thread] ngettext: the form of `singular`/`plural` (English) that fits the count `n`.
[[gnu::format_arg(1), gnu::format_arg(2)]] inline const char* trn(const char* singular, const char* plural,
                                                                   unsigned long n) noexcept
{
    return dngettext(CCOC_TEXT_DOMAIN, singular, plural, n);
}

/// [any-thread] pgettext: `msgid` in `context`, for an English word with two meanings.
[[gnu::format_arg(2)]] inline const char* trc(const char* context, const char* msgid)
{
    return i18n::translateInContext(CCOC_TEXT_DOMAIN, context, msgid);
}

}  // namespace
}  // namespace ccoc
#endif
