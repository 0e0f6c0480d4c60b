# poisonlab_add_plugin(<id> SOURCES <files...> [LIBS <libs...>])
# Builds one plugin folder: a MODULE library named <id> plus its plugin.json, laid out as
# <plugins>/<id>/{plugin.json, lib<id>.so} both in the build tree and when installed.
function(poisonlab_add_plugin id)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  set(target "plugin_${id}")
  string(REPLACE "-" "_" target "${target}")
  add_library(${target} MODULE ${ARG_SOURCES})
  set_property(GLOBAL APPEND PROPERTY POISONLAB_PLUGIN_TARGETS ${target})
  target_link_libraries(${target} PRIVATE poisonlab_core poisonlab_warnings ${ARG_LIBS})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME "${id}"
    LIBRARY_OUTPUT_DIRECTORY "${POISONLAB_PLUGIN_OUTPUT_DIR}/${id}"
    CXX_VISIBILITY_PRESET hidden
    INSTALL_RPATH "$ORIGIN/../../..")
  target_precompile_headers(${target} REUSE_FROM poisonlab_torch_pch)
  configure_file("${CMAKE_CURRENT_SOURCE_DIR}/plugin.json"
                 "${POISONLAB_PLUGIN_OUTPUT_DIR}/${id}/plugin.json" COPYONLY)
  install(TARGETS ${target} LIBRARY DESTINATION "${POISONLAB_PLUGIN_INSTALL_DIR}/${id}" COMPONENT runtime)
  install(FILES "${CMAKE_CURRENT_SOURCE_DIR}/plugin.json" DESTINATION "${POISONLAB_PLUGIN_INSTALL_DIR}/${id}" COMPONENT runtime)
endfunction()
