# MicroCloudSDKConfig.cmake - find_package(MicroCloudSDK 1.0) entry point for plugin authors.
include(CMakeFindDependencyMacro)
find_dependency(nlohmann_json 3.10)
include(${CMAKE_CURRENT_LIST_DIR}/MicroCloudSDKTargets.cmake)
set(MICROCLOUD_SDK_CMAKE_DIR ${CMAKE_CURRENT_LIST_DIR})
include(${CMAKE_CURRENT_LIST_DIR}/MicroCloudPlugin.cmake)
