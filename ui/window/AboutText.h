#pragma once

#include <QString>

namespace poisonlab::ui {

/// Help > About: what PoisonLab is and the versions it runs with (PoisonLab, LibTorch, Qt).
QString aboutText();

} // namespace poisonlab::ui
