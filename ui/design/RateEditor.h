#pragma once

#include <QWidget>

class QDoubleSpinBox;
class QSlider;

namespace poisonlab::ui {

/// A poison rate in (0, 1]: a slider for a quick sweep and a spin box for an exact value, kept in
/// sync. edited() only for the user's changes (setValue() is silent).
class RateEditor : public QWidget {
    Q_OBJECT
public:
    /// `min`/`max` from the parameter; `minExclusive` keeps `min` itself out (a rate > 0).
    RateEditor(double min, double max, bool minExclusive, QWidget *parent = nullptr);

    double value() const;
    void setValue(double rate);
    QSlider *slider() const { return m_slider; }
    QDoubleSpinBox *spinBox() const { return m_spin; }

Q_SIGNALS:
    void edited(double rate);

private:
    static constexpr int kSteps = 1000; ///< slider resolution: 0.001

    QSlider *m_slider;
    QDoubleSpinBox *m_spin;
};

} // namespace poisonlab::ui
