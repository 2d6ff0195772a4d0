// Compiled at test time: the C++ layer must build warning-free on its own.
#include "ccoc/plugin.hpp"
