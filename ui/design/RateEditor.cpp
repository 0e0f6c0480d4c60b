#include "design/RateEditor.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QSignalBlocker>
#include <QSlider>

#include <cmath>

namespace poisonlab::ui {

RateEditor::RateEditor(double min, double max, bool minExclusive, QWidget *parent)
    : QWidget(parent), m_slider(new QSlider(Qt::Horizontal, this)), m_spin(new QDoubleSpinBox(this))
{
    m_spin->setDecimals(3);
    m_spin->setSingleStep(0.01);
    m_spin->setRange(minExclusive ? min + 0.001 : min, max);
    m_spin->setObjectName(QStringLiteral("rateSpin"));
    m_slider->setObjectName(QStringLiteral("rateSlider"));
    m_slider->setRange(static_cast<int>(std::lround(m_spin->minimum() * kSteps)),
                       static_cast<int>(std::lround(m_spin->maximum() * kSteps)));
    m_slider->setPageStep(kSteps / 20);
    m_slider->setMinimumWidth(160);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_spin);

    connect(m_slider, &QSlider::valueChanged, this, [this](int step) {
        const QSignalBlocker block(m_spin);
        m_spin->setValue(double(step) / kSteps);
        Q_EMIT edited(m_spin->value());
    });
    connect(m_spin, &QDoubleSpinBox::valueChanged, this, [this](double rate) {
        const QSignalBlocker block(m_slider);
        m_slider->setValue(static_cast<int>(std::lround(rate * kSteps)));
        Q_EMIT edited(rate);
    });
}

double RateEditor::value() const
{
    return m_spin->value();
}

void RateEditor::setValue(double rate)
{
    const QSignalBlocker blockSpin(m_spin);
    const QSignalBlocker blockSlider(m_slider);
    m_spin->setValue(rate);
    m_slider->setValue(static_cast<int>(std::lround(m_spin->value() * kSteps)));
}

} // namespace poisonlab::ui
