# Run by `cmake --install`: writes the files that name the installed binary's final path
# (CMAKE_INSTALL_PREFIX as given to the install, not as configured) and installs them, so that
# DESTDIR applies and they are listed in install_manifest.txt like every other file.
set(bin "${CMAKE_INSTALL_PREFIX}/${IPCBOX_BINDIR}/ipcbox")
file(MAKE_DIRECTORY "${IPCBOX_STAGING_DIR}")

# The hooks.d entry: examples/oci's, with the installed binary and spec directory.
file(READ "${IPCBOX_SOURCE_DIR}/examples/oci/hooks.d/ipcbox.json" hook)
string(REPLACE "\"/usr/local/bin/ipcbox\"" "\"${bin}\"" hook "${hook}")
string(REPLACE "\"/etc/ipcbox/specs\"" "\"${IPCBOX_SPEC_DIR}\"" hook "${hook}")
file(WRITE "${IPCBOX_STAGING_DIR}/ipcbox.json" "${hook}")
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/${IPCBOX_DATADIR}/containers/oci/hooks.d"
     TYPE FILE FILES "${IPCBOX_STAGING_DIR}/ipcbox.json")

# The AppArmor profile, attached to the installed binary's path.
set(IPCBOX_BIN "${bin}")
configure_file("${IPCBOX_SOURCE_DIR}/packaging/apparmor/ipcbox.in" "${IPCBOX_STAGING_DIR}/ipcbox"
               @ONLY)
file(INSTALL DESTINATION "${IPCBOX_APPARMOR_DIR}" TYPE FILE FILES "${IPCBOX_STAGING_DIR}/ipcbox")
