// plugins/fan/fan_underlay.hpp - the fan underlay subnet MicroCloud derives from the
// default-route subnet.
#pragma once

#include "ipv4.hpp"

namespace microcloud::plugins::fan {

// Upstream MicroCloud's rule: the default-route subnet as it is when it is a /16 or a /24 (the
// sizes the fan supports), otherwise its network address cut to /16 ("10.1.16.0/20" ->
// "10.1.0.0/16", "10.0.0.0/8" -> "10.0.0.0/16"). The result never has host bits set.
Ipv4Prefix fan_underlay_subnet(const Ipv4Prefix& default_route_subnet);

}  // namespace microcloud::plugins::fan
