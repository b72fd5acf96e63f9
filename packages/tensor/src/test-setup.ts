// Tests may import single modules; the package entry wires the layers (array methods,
// default backend) as it does for users.
import './index';
