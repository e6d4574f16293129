# The SDK: public headers only, plus abi_version.hpp generated from their text so the
# ABI version cannot drift from what plugins were built against.
file(GLOB SWITCHBOARD_SDK_HEADERS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/sdk/include/switchboard/*.hpp)
list(SORT SWITCHBOARD_SDK_HEADERS)
set(_sdk_text "")
foreach(h IN LISTS SWITCHBOARD_SDK_HEADERS)
  file(READ ${h} _c)
  get_filename_component(_n ${h} NAME)
  string(APPEND _sdk_text "${_n}\n${_c}")
endforeach()
string(SHA256 _sdk_hash "${_sdk_text}")
string(SUBSTRING ${_sdk_hash} 0 16 SWITCHBOARD_ABI_HEX)
set(SWITCHBOARD_ABI_HEX ${SWITCHBOARD_ABI_HEX} CACHE INTERNAL "")
configure_file(${PROJECT_SOURCE_DIR}/sdk/abi_version.hpp.in
               ${CMAKE_BINARY_DIR}/generated/switchboard/abi_version.hpp @ONLY)

add_library(sb_sdk INTERFACE)
target_include_directories(sb_sdk INTERFACE ${PROJECT_SOURCE_DIR}/sdk/include ${CMAKE_BINARY_DIR}/generated)
target_link_libraries(sb_sdk INTERFACE Boost::headers Boost::json)

# add_switchboard_plugin(name SOURCES...): a loadable plugin in build/plugins/<name>.so.
# Plugins see only the SDK; spdlog is shared so a plugin's logs reach the host's sink.
function(add_switchboard_plugin name)
  cmake_parse_arguments(P "" "OUTPUT_DIR" "SOURCES" ${ARGN})
  if(NOT P_OUTPUT_DIR)
    set(P_OUTPUT_DIR ${SWITCHBOARD_PLUGIN_DIR})
  endif()
  add_library(${name} MODULE ${P_SOURCES})
  target_link_libraries(${name} PRIVATE sb_sdk)
  set_target_properties(${name} PROPERTIES PREFIX "" CXX_VISIBILITY_PRESET hidden
                        VISIBILITY_INLINES_HIDDEN ON LIBRARY_OUTPUT_DIRECTORY ${P_OUTPUT_DIR})
endfunction()
