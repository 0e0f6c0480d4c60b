#include "train/ScientificSpinBox.h"

#include <QLocale>

#include <cmath>

namespace poisonlab::ui {

ScientificSpinBox::ScientificSpinBox(QWidget *parent) : QDoubleSpinBox(parent)
{
    setDecimals(12); // the value keeps its precision; the text is ours
    setRange(0, 10);
}

QString ScientificSpinBox::textFromValue(double value) const
{
    return QString::number(value, 'g', 6);
}

double ScientificSpinBox::valueFromText(const QString &text) const
{
    return text.trimmed().toDouble();
}

QValidator::State ScientificSpinBox::validate(QString &text, int &) const
{
    const QString t = text.trimmed();
    if (t.isEmpty() || t.endsWith(QLatin1Char('e')) || t.endsWith(QLatin1String("e-")) || t == QLatin1String("."))
        return QValidator::Intermediate;
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (!ok)
        return QValidator::Invalid;
    return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
}

void ScientificSpinBox::stepBy(int steps)
{
    const double v = value();
    const double decade = v > 0 ? std::pow(10.0, std::floor(std::log10(v))) : 1e-6;
    setValue(v + steps * decade / 10 * (v > 0 ? 1 : 10));
}

} // namespace poisonlab::ui
