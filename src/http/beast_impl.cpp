// The one translation unit that compiles Beast (BOOST_BEAST_SEPARATE_COMPILATION, PUBLIC on
// bookstamp_http).
#include <boost/beast/src.hpp>
