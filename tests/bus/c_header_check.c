/* Compiled as C11 -Wall -Wextra -pedantic -Werror: ccoc/bus.h is plain C. */
#include "ccoc/bus.h"

size_t ccoc_bus_c_header_check(void);
size_t ccoc_bus_c_header_check(void) {
    ccoc_bus_command command = {sizeof(ccoc_bus_command), "cam-1", "ptz.stop", NULL, 1000, 0};
    return command.struct_size + sizeof(ccoc_bus_service_v1);
}
