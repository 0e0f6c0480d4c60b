#include "style/StatusColors.h"

namespace poisonlab::ui {

bool StatusColors::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightnessF() < 0.5;
}

QColor StatusColors::error(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xff, 0x6b, 0x6b) : QColor(0xb0, 0x00, 0x20);
}

QColor StatusColors::warning(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xf0, 0xb4, 0x29) : QColor(0x8a, 0x5a, 0x00);
}

QColor StatusColors::poison(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xff, 0x6b, 0x78) : QColor(0xc8, 0x1e, 0x2d);
}

QString StatusColors::errorStyle(const QPalette &palette)
{
    return QStringLiteral("color: %1;").arg(error(palette).name());
}

QString StatusColors::warningStyle(const QPalette &palette)
{
    return QStringLiteral("color: %1;").arg(warning(palette).name());
}

} // namespace poisonlab::ui
