# The HTTP/1.1 client (URL parser, codec, header list, redirect policy,
# client with keep-alive pool), for net/CMakeLists.txt: include(http.cmake)
# then add ${MCUJS_HTTP_SOURCES} to mcujs_net.
set(MCUJS_HTTP_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/url.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/common.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/header_list.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/redirect.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/form.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/data_url.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/request.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/response.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http/client.cpp)
