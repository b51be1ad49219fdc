# The HTTP/1.1 client (URL parser, codec, client with keep-alive pool), for
# net/CMakeLists.txt: include(http.cmake) then add ${MCUJS_HTTP_SOURCES} to
# mcujs_net.
set(MCUJS_HTTP_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/url.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_common.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_request.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_response.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_client.cpp)
