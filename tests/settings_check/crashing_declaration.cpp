// A shared object whose declaration function aborts: what a broken driver build can do when the
// host reads its settings declaration at start (a static initialiser that crashes does the same).
#include "ccoc/settings.hpp"

#include <cstdlib>

namespace {
const ccoc::settings::Declarations& crashing()
{
    std::abort();
}
} // namespace

CCOC_SETTINGS_DECLARATIONS(crashing())
