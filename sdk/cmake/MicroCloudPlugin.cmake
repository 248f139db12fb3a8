# MicroCloudPlugin.cmake - microcloud_add_plugin(): builds a plugin library laid out as the host
# expects it: <plugins>/<NAME>/NAME.so beside <plugins>/<NAME>/manifest.json.
#
#   microcloud_add_plugin(NAME <name> MANIFEST <manifest.json> SOURCES <src>...
#                         [OUTPUT_DIR <dir>] [INSTALL_DIR <dir>] [NO_INSTALL])
#
# OUTPUT_DIR defaults to ${MICROCLOUD_PLUGIN_BUILD_DIR} or <binary dir>/plugins;
# INSTALL_DIR defaults to lib/microcloud/plugins, where microcloudd looks (relative to its prefix).
include_guard(GLOBAL)
include(GNUInstallDirs)

function(microcloud_add_plugin)
  cmake_parse_arguments(ARG "NO_INSTALL" "NAME;MANIFEST;OUTPUT_DIR;INSTALL_DIR" "SOURCES" ${ARGN})
  if(NOT ARG_NAME OR NOT ARG_MANIFEST OR NOT ARG_SOURCES)
    message(FATAL_ERROR "microcloud_add_plugin: NAME, MANIFEST and SOURCES are required")
  endif()
  if(NOT ARG_OUTPUT_DIR)
    if(MICROCLOUD_PLUGIN_BUILD_DIR)
      set(ARG_OUTPUT_DIR ${MICROCLOUD_PLUGIN_BUILD_DIR})
    else()
      set(ARG_OUTPUT_DIR ${CMAKE_BINARY_DIR}/plugins)
    endif()
  endif()
  if(NOT ARG_INSTALL_DIR)
    set(ARG_INSTALL_DIR lib/microcloud/plugins)
  endif()

  set(target microcloud-plugin-${ARG_NAME})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE MicroCloud::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${ARG_NAME}
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR}/${ARG_NAME}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(${target} PRIVATE
    "LINKER:--version-script=${MICROCLOUD_SDK_CMAKE_DIR}/plugin-exports.map" "LINKER:--no-undefined")

  get_filename_component(manifest ${ARG_MANIFEST} ABSOLUTE)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${manifest} ${ARG_OUTPUT_DIR}/${ARG_NAME}/manifest.json
    VERBATIM)
  if(NOT ARG_NO_INSTALL)
    # Component: the project's name (`microcloud` for the built-in plugins). Mode 0644: the worker
    # dlopen()s the library, nothing executes it.
    install(TARGETS ${target} LIBRARY DESTINATION ${ARG_INSTALL_DIR}/${ARG_NAME} COMPONENT ${PROJECT_NAME}
            PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
    install(FILES ${manifest} DESTINATION ${ARG_INSTALL_DIR}/${ARG_NAME} RENAME manifest.json COMPONENT ${PROJECT_NAME})
  endif()
endfunction()
