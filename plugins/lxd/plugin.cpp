// plugins/lxd/plugin.cpp - the entry symbol of lxd.so: exports LxdPlugin as org.microcloud.lxd.
#include "lxd_plugin.hpp"

MICROCLOUD_PLUGIN(microcloud::plugins::lxd::LxdPlugin, "org.microcloud.lxd", "0.1.0")
