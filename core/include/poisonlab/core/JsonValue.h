#pragma once

#include <nlohmann/json.hpp>

namespace poisonlab {

/// True for a JSON integer >= 0, whether it was parsed from text (stored unsigned) or built in C++
/// from a signed int (stored signed): `is_number_unsigned()` alone rejects the latter.
inline bool isNonNegativeInteger(const nlohmann::json &value)
{
    return value.is_number_unsigned() || (value.is_number_integer() && value.get<long long>() >= 0);
}

} // namespace poisonlab
