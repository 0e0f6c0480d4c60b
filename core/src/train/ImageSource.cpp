#include "poisonlab/core/train/ImageSource.h"

namespace poisonlab::train {

ImageSource::~ImageSource() = default;

} // namespace poisonlab::train
