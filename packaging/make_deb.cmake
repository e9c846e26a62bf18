# Builds BUILD_DIR/ipcbox_<VERSION>_<arch>.deb from `cmake --install` into a staging root (so the
# package holds exactly the install tree, with prefix /usr), plus what Debian policy asks of a
# binary package: compressed man pages and changelog, copyright, conffiles, md5sums.
# Inputs: -DBUILD_DIR= -DSOURCE_DIR= -DVERSION= [-DMAINTAINER=]
cmake_minimum_required(VERSION 3.25)  # "@VERSION@" below is text, not a variable

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE failed)
  if(failed)
    list(JOIN ARGN " " shown)
    message(FATAL_ERROR "deb: '${shown}' failed")
  endif()
endfunction()

set(stage "${BUILD_DIR}/deb-root")
set(debian "${SOURCE_DIR}/packaging/debian")
file(REMOVE_RECURSE "${stage}")
run(${CMAKE_COMMAND} -E env "DESTDIR=${stage}"
    ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix /usr --strip)

set(doc "${stage}/usr/share/doc/ipcbox")
file(COPY "${debian}/copyright" DESTINATION "${doc}")
file(READ "${debian}/changelog.in" changelog)
string(REPLACE "@VERSION@" "${VERSION}" changelog "${changelog}")
# A native package (no Debian revision): changelog, not changelog.Debian.
file(WRITE "${doc}/changelog" "${changelog}")
file(MAKE_DIRECTORY "${stage}/usr/share/lintian/overrides")
file(COPY_FILE "${debian}/lintian-overrides" "${stage}/usr/share/lintian/overrides/ipcbox")
file(GLOB_RECURSE man_pages "${stage}/usr/share/man/*")
foreach(f "${doc}/changelog" ${man_pages})
  run(gzip -9n "${f}")
endforeach()

# Modes as Debian wants them whatever the umask was: files 0644, directories and the binary 0755.
file(GLOB_RECURSE files LIST_DIRECTORIES false "${stage}/*")
file(GLOB_RECURSE all LIST_DIRECTORIES true "${stage}/*")
foreach(f ${all})
  if(IS_DIRECTORY "${f}")
    file(CHMOD "${f}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
         WORLD_READ WORLD_EXECUTE)
  else()
    file(CHMOD "${f}" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  endif()
endforeach()
file(CHMOD "${stage}/usr/bin/ipcbox" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
     GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# Control files. The binary is static: no Depends.
file(MAKE_DIRECTORY "${stage}/DEBIAN")
execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE arch
                OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND du -sk --exclude=DEBIAN "${stage}" OUTPUT_VARIABLE size)
string(REGEX MATCH "^[0-9]+" size "${size}")
if(NOT MAINTAINER)
  set(MAINTAINER "ipcbox developers <ipcbox@example.org>")
endif()
file(READ "${debian}/control.in" control)
string(REPLACE "@VERSION@" "${VERSION}" control "${control}")
string(REPLACE "@ARCH@" "${arch}" control "${control}")
string(REPLACE "@SIZE@" "${size}" control "${control}")
string(REPLACE "@MAINTAINER@" "${MAINTAINER}" control "${control}")
file(WRITE "${stage}/DEBIAN/control" "${control}")
set(conffiles "")
foreach(f ${files})
  file(RELATIVE_PATH rel "${stage}" "${f}")
  if(rel MATCHES "^etc/")
    string(APPEND conffiles "/${rel}\n")
  endif()
endforeach()
file(WRITE "${stage}/DEBIAN/conffiles" "${conffiles}")
set(sums "")
file(GLOB_RECURSE files LIST_DIRECTORIES false "${stage}/usr/*")
foreach(f ${files})
  file(MD5 "${f}" md5)
  file(RELATIVE_PATH rel "${stage}" "${f}")
  string(APPEND sums "${md5}  ${rel}\n")
endforeach()
file(WRITE "${stage}/DEBIAN/md5sums" "${sums}")
foreach(script postinst)
  file(COPY "${debian}/${script}" DESTINATION "${stage}/DEBIAN"
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
       WORLD_READ WORLD_EXECUTE)
endforeach()
foreach(f control conffiles md5sums)
  file(CHMOD "${stage}/DEBIAN/${f}" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
endforeach()

set(deb "${BUILD_DIR}/ipcbox_${VERSION}_${arch}.deb")
run(dpkg-deb --root-owner-group -Zxz --build "${stage}" "${deb}")
message(STATUS "wrote ${deb}")
