// plugins/fan/fan_underlay.cpp - the /16-or-/24 underlay rule.
#include "fan_underlay.hpp"

namespace microcloud::plugins::fan {

Ipv4Prefix fan_underlay_subnet(const Ipv4Prefix& default_route_subnet) {
    Ipv4Prefix subnet = network_of(default_route_subnet);
    if (subnet.length == 16 || subnet.length == 24) return subnet;
    return network_of(Ipv4Prefix{subnet.address, 16});
}

}  // namespace microcloud::plugins::fan
