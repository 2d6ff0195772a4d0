// A shared object that is not a CCOC plugin: it exports something, but not ccoc_plugin_entry.
extern "C" __attribute__((visibility("default"))) int some_other_entry()
{
    return 42;
}
