// The one translation unit that compiles Beast and Asio (BOOST_BEAST_SEPARATE_COMPILATION,
// BOOST_ASIO_SEPARATE_COMPILATION are set on bookstamp_http, PUBLIC).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
