#include "poisonlab/core/attack/AttackPlugin.h"

#include <cmath>

namespace poisonlab::attack {

void normaliseRows(Embeddings &rows)
{
    for (auto &row : rows) {
        double norm = 0;
        for (float v : row)
            norm += double(v) * v;
        norm = std::sqrt(norm);
        if (norm > 0)
            for (float &v : row)
                v = static_cast<float>(v / norm);
    }
}

AttackPlugin::~AttackPlugin() = default;

} // namespace poisonlab::attack
