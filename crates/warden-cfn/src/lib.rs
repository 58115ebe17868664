//! CloudFormation / SAM loader.
