// The interface language of the host's process: where the compiled catalogues are, and the one
// place where the host changes the language (at start from [ui] language; later, when an operator
// signs in, from the operator). Plugins see the change at their next draw through "ccoc.i18n/1".
//
// Thread: main thread.
#pragma once

#include <string>

namespace ccoc::host {

class HostEnvironment;

// The folder of the catalogues (LANG/LC_MESSAGES/DOMAIN.mo): CCOC_LOCALE_DIR when set, else
// share/locale beside the binary's folder (build/default/share/locale in the build tree,
// PREFIX/share/locale installed) when it exists; "" when none is found (text stays English).
std::string findLocaleDir(const std::string& executablePath);

// Binds the host's and the SDK's text domains to `localeDir`. Once, before the first frame.
void bindHostTextDomains(const std::string& localeDir);

// Makes `language` the interface language of the process and of what plugins see. Logs and keeps
// English where the C library offers no usable locale. Returns whether text follows the language.
// It sets LANGUAGE in the environment: at start the host calls it before any other thread runs; a
// later switch (an operator signing in) runs on the main thread, and threads that read the
// environment then (getenv) must not be running code that writes it.
bool setInterfaceLanguage(HostEnvironment& environment, const std::string& language);

} // namespace ccoc::host
