# packaging/cpack.cmake - CPack's DEB generator: one package per install component, `microcloud`
# (component microcloud) and `microcloud-sdk-dev` (component sdk). Included from
# packaging/CMakeLists.txt; `cpack -G DEB` in the build directory writes both .deb files.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME microcloud)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "MicroCloud maintainers <maintainers@microcloud.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

# Only the directories with install rules are installed (and built by cpack's preinstall step),
# so `cpack` does not build the tests and benchmarks first.
set(CPACK_INSTALL_CMAKE_PROJECTS)
foreach(dir sdk host plugins packaging)
  list(APPEND CPACK_INSTALL_CMAKE_PROJECTS ${CMAKE_BINARY_DIR}/${dir} microcloud-${dir} ALL /)
endforeach()

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL microcloud sdk)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <name>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)  # maintainer scripts 0755 whatever the checkout says

execute_process(COMMAND dpkg --print-architecture
  OUTPUT_VARIABLE microcloud_deb_arch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)

# microcloud: the CLI, the daemon, the plugin worker and the built-in plugins.
set(CPACK_DEBIAN_MICROCLOUD_PACKAGE_NAME microcloud)
set(CPACK_DEBIAN_MICROCLOUD_PACKAGE_ARCHITECTURE ${microcloud_deb_arch})
set(CPACK_DEBIAN_MICROCLOUD_DESCRIPTION "small private cloud from LXD, Ceph and OVN
The microcloud CLI and the microcloudd daemon cluster a handful of machines and form LXD,
Ceph and OVN clusters across them, each component driven by a plugin.")
find_program(DPKG_SHLIBDEPS_EXECUTABLE dpkg-shlibdeps)
if(DPKG_SHLIBDEPS_EXECUTABLE)
  set(CPACK_DEBIAN_MICROCLOUD_PACKAGE_SHLIBDEPS ON)
else()
  # Without dpkg-dev: the runtime packages of scripts/install-deps's libraries (Debian 12 names).
  string(JOIN ", " CPACK_DEBIAN_MICROCLOUD_PACKAGE_DEPENDS
    libc6 libstdc++6 libgcc-s1 libboost-program-options1.74.0 libspdlog1.10-fmt9 libfmt9 libyaml-cpp0.7
    libcpp-httplib0.11 libssl3 libdqlite0 libargon2-1)
endif()
# The components it drives; each plugin says what is missing when one is not there.
string(JOIN ", " CPACK_DEBIAN_MICROCLOUD_PACKAGE_RECOMMENDS
  lxd openvswitch-switch ovn-central ovn-host ceph-common ceph-base ceph-mon ceph-mgr ceph-osd ceph-mds
  iproute2 openssl)
set(CPACK_DEBIAN_MICROCLOUD_PACKAGE_CONTROL_EXTRA
  ${CMAKE_CURRENT_LIST_DIR}/postinst ${CMAKE_CURRENT_LIST_DIR}/prerm ${CMAKE_CURRENT_LIST_DIR}/postrm)

# microcloud-sdk-dev: headers and CMake files only, so one package serves every architecture.
set(CPACK_DEBIAN_SDK_PACKAGE_NAME microcloud-sdk-dev)
set(CPACK_DEBIAN_SDK_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_SDK_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_SDK_PACKAGE_DEPENDS "nlohmann-json3-dev (>= 3.10)")
set(CPACK_DEBIAN_SDK_PACKAGE_RECOMMENDS "cmake (>= 3.25), g++ | c++-compiler")
set(CPACK_DEBIAN_SDK_PACKAGE_SUGGESTS microcloud)
set(CPACK_DEBIAN_SDK_DESCRIPTION "SDK for MicroCloud plugins
The C ABI header, the header-only C++ layer and the CMake package (find_package(MicroCloudSDK))
to build a MicroCloud component plugin, with the hello example.")

include(CPack)
