// A shared library with none of our symbols.
extern "C" __attribute__((visibility("default"))) int zoo_not_a_plugin_answer() { return 42; }
