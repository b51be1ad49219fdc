# The article-style app end to end (label hub): apps/article-style against
# the real receiver over TLS. Included from tests/CMakeLists.txt.
if(TARGET mcujs-receiver)
  add_test(NAME article_app_e2e
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/article.sh $<TARGET_FILE:mcujs> $<TARGET_FILE:mcujs-receiver>)
  set_tests_properties(article_app_e2e PROPERTIES LABELS hub TIMEOUT 180)
endif()
