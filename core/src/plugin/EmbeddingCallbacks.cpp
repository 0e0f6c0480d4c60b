#include "poisonlab/core/plugin/EmbeddingCallbacks.h"

#include <cmath>

namespace poisonlab::plugin {

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

} // namespace poisonlab::plugin
