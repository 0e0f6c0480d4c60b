#pragma once

#include <QDoubleSpinBox>

namespace poisonlab::ui {

/// A spin box for small rates (1e-5, 2.5e-4): shows and reads numbers in their shortest form
/// ("1e-05", "0.00025", "0.2"); its arrows step by a tenth of the value's decade (1e-5 -> 1.1e-5).
class ScientificSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit ScientificSpinBox(QWidget *parent = nullptr);

    QString textFromValue(double value) const override;
    double valueFromText(const QString &text) const override;
    QValidator::State validate(QString &text, int &pos) const override;
    void stepBy(int steps) override;
};

} // namespace poisonlab::ui
