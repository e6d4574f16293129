# Every third-party dependency comes from Debian 12 packages (see Makefile APT_PACKAGES).
add_compile_definitions(BOOST_DLL_USE_STD_FS)  # Boost.DLL on std::filesystem, project-wide
find_package(Threads REQUIRED)
find_package(Boost 1.81.0 EXACT CONFIG REQUIRED COMPONENTS json url)
find_package(OpenSSL 3 REQUIRED)
find_package(fmt 9 CONFIG REQUIRED)
find_package(spdlog 1.10 CONFIG REQUIRED)
find_package(yaml-cpp 0.7 CONFIG REQUIRED)
find_package(cpp-jwt 1.4 CONFIG REQUIRED)
find_package(Catch2 2.13 CONFIG REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(ZLIB REQUIRED)  # webhook bodies in the inbox (host/store/body_codec)
find_package(PostgreSQL REQUIRED)
find_package(PkgConfig REQUIRED)

# SOCI 4.0.3 ships neither a CMake config nor a .pc file: declare the targets here.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
foreach(b core sqlite3 postgresql)
  find_library(SOCI_${b}_LIBRARY soci_${b} REQUIRED)
  add_library(SOCI::${b} SHARED IMPORTED)
  set_target_properties(SOCI::${b} PROPERTIES IMPORTED_LOCATION "${SOCI_${b}_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}")
endforeach()
target_link_libraries(SOCI::core INTERFACE Boost::headers ${CMAKE_DL_LIBS})
target_link_libraries(SOCI::sqlite3 INTERFACE SOCI::core)
target_link_libraries(SOCI::postgresql INTERFACE SOCI::core PostgreSQL::PostgreSQL)

# Lua 5.4 built as C++ (Debian's lua5.4-c++): a Lua error unwinds C++ frames as an
# exception, so destructors run, instead of a longjmp over them.
pkg_check_modules(LUA REQUIRED IMPORTED_TARGET lua5.4-c++)
pkg_check_modules(XAPIAN REQUIRED IMPORTED_TARGET xapian-core)  # knowledge search (host/knowledge)
