// Shared by the JSON Lines and JSON readers: a JSON object's fields, looked up by a FieldMap.
#pragma once

#include <nlohmann/json.hpp>

#include "panmun/jsonl.hpp"

namespace panmun {

// The mapped fields of `obj` as text (numbers and booleans as written, null as empty). Sets `why`
// if a mapped field is an array or object.
std::array<std::string, field_names.size()> json_fields(const nlohmann::json& obj,
                                                        const FieldMap& map, std::string& why);

}  // namespace panmun
