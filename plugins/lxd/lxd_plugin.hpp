// plugins/lxd/lxd_plugin.hpp - the LXD component plugin: discovery through LXD's REST socket.
#pragma once

#include "config.hpp"
#include "system_view.hpp"

#include <microcloud/sdk/plugin.hpp>

namespace microcloud::plugins::lxd {

class LxdPlugin final : public sdk::Plugin {
public:
    /// `config` is the daemon configuration's plugins.lxd section; `system` is replaced in tests.
    explicit LxdPlugin(const sdk::Json& config, SystemView system = SystemView::real());

    /// Reports whether LXD is installed and running here, its version, features, pools and networks.
    sdk::Json discover(sdk::Context& ctx) override;
    sdk::Json validate(sdk::Context& ctx) override;
    sdk::Json join(sdk::Context& ctx) override;
    sdk::Json teardown(sdk::Context& ctx) override;

private:
    Config config_;
    SystemView system_;
};

}  // namespace microcloud::plugins::lxd
