// The one translation unit in the program that compiles Asio (BOOST_ASIO_SEPARATE_COMPILATION,
// PUBLIC on bookstamp_asio). Any other module using Asio (sip2/) links bookstamp_asio instead of
// compiling its own copy.
#include <boost/asio/impl/src.hpp>
