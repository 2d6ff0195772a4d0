/* "ccoc.i18n/1": the interface language, as the host sets it, and where the translations live.
 *
 * Text is translated with GNU gettext: each plugin has its own text domain ("ccoc-alarms") whose
 * compiled catalogues lie in LOCALE_DIR/LANG/LC_MESSAGES/DOMAIN.mo. The host chooses the language
 * for the whole process (from [ui] language, later from the signed-in operator) and may change it
 * while running, on the main thread; a plugin therefore asks for the language when it draws
 * instead of remembering it. The C++ helpers in ccoc/i18n.hpp wrap this service: a plugin built
 * with CCOC_TEXT_DOMAIN defined binds its domain at init by itself.
 *
 * A host offers it from the release that added translations; an older host returns NULL, and a
 * plugin then reads the language from "ccoc.host-info/1" and finds no catalogues (English).
 * C ABI, like plugin.h: a plugin checks struct_size before using a field added later.
 */
#ifndef CCOC_I18N_H
#define CCOC_I18N_H

#include "ccoc/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CCOC_SERVICE_I18N "ccoc.i18n/1" /* -> const ccoc_i18n_service_v1* */

typedef struct ccoc_i18n_service_v1 {
    uint32_t struct_size;
    /* [main-thread] The interface language now: a language code as in the site file ("th", "en").
     * It may change between two frames; never NULL. Owned by the host, valid until the next call. */
    const char* (*language)(const ccoc_host* host);
    /* [any-thread] The folder of the compiled catalogues the host found (LOCALE_DIR above), where
     * a plugin installed with the host keeps its own. Never NULL; "" when the host found none.
     * Owned by the host, valid until the plugin's shutdown returns. */
    const char* (*locale_dir)(const ccoc_host* host);
    /* [main-thread] Names the plugin's text domain (copied). The host then translates the titles
     * of the plugin's panel types (ccoc_panel_type_v1.title, English) through it; without one it
     * shows title_th in Thai, as hosts before this service did. NULL or "" forgets the domain. */
    void (*set_text_domain)(const ccoc_host* host, const char* domain);
} ccoc_i18n_service_v1;

#ifdef __cplusplus
}
#endif

#endif /* CCOC_I18N_H */
