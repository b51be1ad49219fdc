// Classes with private fields, getters and inheritance, in another module.
class Shape {
  #name;
  constructor(name) { this.#name = name; }
  get name() { return this.#name; }
}
export class Square extends Shape {
  constructor(side) { super('square'); this.side = side; }
  area() { return this.side * this.side; }
}
export class Circle extends Shape {
  static PI = 3.14159;
  constructor(r) { super('circle'); this.r = r; }
  area() { return Circle.PI * this.r * this.r; }
}
